// Lets a suite leave a picture of the live workbench for a person to look at: the driver
// (test/editor/run.mjs) watches the test output for this line and takes a screenshot when
// SLIPWAY_SCREENSHOTS names a directory. A no-op otherwise.
export async function screenshot(name: string): Promise<void> {
  if (!process.env.SLIPWAY_SCREENSHOTS) return;
  console.log(`SLIPWAY_SCREENSHOT ${name}`);
  // The output reaches the driver asynchronously; give it time to take the picture.
  await new Promise((r) => setTimeout(r, 1500));
}
