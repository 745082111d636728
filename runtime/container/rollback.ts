// Undo steps for multi-step operations (create, start): each effect registers its undo, and a
// failure runs them newest first, so bad input leaves no volume, directory, cgroup or record.
export class Rollback {
  private readonly steps: Array<{ what: string; undo: () => unknown }> = [];

  add(what: string, undo: () => unknown): void {
    this.steps.push({ what, undo });
  }

  /** Runs every undo (newest first); failures of the undo steps are collected, not thrown. */
  async run(): Promise<Array<{ what: string; err: unknown }>> {
    const failed: Array<{ what: string; err: unknown }> = [];
    for (const s of this.steps.splice(0).reverse()) {
      try {
        await s.undo();
      } catch (err) {
        failed.push({ what: s.what, err });
      }
    }
    return failed;
  }

  /** Success: forget the undo steps. */
  commit(): void {
    this.steps.length = 0;
  }
}
