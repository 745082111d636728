// Query-string parsing with Docker's conventions: booleans as Docker's BoolValue reads them,
// and `filters` as JSON in either of the two shapes clients send.
import { InvalidArgumentError } from '../errors';

/** Read-only view of a request's query string with Docker's typed readers. */
export class Query {
  constructor(private readonly params: URLSearchParams) {}

  static parse(search: string): Query {
    return new Query(new URLSearchParams(search));
  }

  has(name: string): boolean {
    return this.params.has(name);
  }

  string(name: string): string | undefined {
    return this.params.get(name) ?? undefined;
  }

  /** Every value of a repeated parameter (`?t=a&t=b`). */
  all(name: string): string[] {
    return this.params.getAll(name);
  }

  /**
   * Docker's BoolValue: absent, "", "0", "no", "false" and "none" are false; anything else
   * ("1", "true", "True") is true (moby api/server/httputils/form.go).
   */
  bool(name: string, fallback = false): boolean {
    const raw = this.params.get(name);
    if (raw === null) return fallback;
    return !['', '0', 'no', 'false', 'none'].includes(raw.trim().toLowerCase());
  }

  /** An integer parameter; a value that is not one is the caller's error (400). */
  int(name: string, fallback?: number): number | undefined {
    const raw = this.params.get(name);
    if (raw === null || raw === '') return fallback;
    if (!/^-?\d+$/.test(raw.trim())) throw new InvalidArgumentError(`invalid value for ${name}: "${raw}" is not an integer`);
    return Number(raw);
  }

  /** The `filters` parameter (or another JSON filter parameter) as a Filters object. */
  filters(name = 'filters'): Filters {
    return Filters.parse(this.params.get(name) ?? '');
  }
}

/**
 * Docker filters: a map from key to accepted values. Clients send either
 * `{"type":{"container":true}}` (the current shape) or `{"type":["container"]}` (the old one).
 */
export class Filters {
  private constructor(private readonly map: ReadonlyMap<string, readonly string[]>) {}

  static readonly empty = new Filters(new Map());

  static parse(json: string): Filters {
    if (json.trim() === '') return Filters.empty;
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch (cause) {
      throw new InvalidArgumentError(`invalid filters: ${json}`, { cause });
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw new InvalidArgumentError(`invalid filters: ${json} is not a JSON object`);
    }
    const map = new Map<string, string[]>();
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
      if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
        map.set(key, value as string[]);
      } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        const entries = Object.entries(value as Record<string, unknown>);
        if (!entries.every(([, on]) => typeof on === 'boolean')) {
          throw new InvalidArgumentError(`invalid filters: values of "${key}" must be booleans`);
        }
        map.set(key, entries.filter(([, on]) => on).map(([v]) => v));
      } else {
        throw new InvalidArgumentError(`invalid filters: "${key}" must map to a list or an object`);
      }
    }
    return new Filters(map);
  }

  keys(): string[] {
    return [...this.map.keys()];
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  get(key: string): readonly string[] {
    return this.map.get(key) ?? [];
  }

  /** True when the key is absent, or `test` accepts one of its values. */
  accepts(key: string, test: (value: string) => boolean): boolean {
    const values = this.map.get(key);
    return values === undefined || values.some(test);
  }

  /** Rejects keys an endpoint does not know, with Docker's message. */
  validate(allowed: readonly string[]): this {
    for (const key of this.map.keys()) {
      if (!allowed.includes(key)) throw new InvalidArgumentError(`invalid filter '${key}'`);
    }
    return this;
  }
}
