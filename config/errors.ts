// The one error type for user mistakes: every problem found in one run, each naming the stack file and the key.

export const PROJECT_NAMESPACE = "rocketmq-system-jobs";

/** A key path below the project's namespace, or a full key as written (`other-namespace:key`); [] for the file. */
export type KeyPath = readonly (string | number)[] | string;

/** One problem of a stack file: the key (as a user writes it, "" for the file as a whole) and what is wrong. */
export interface ConfigProblem {
  key: string;
  detail: string;
}

/** The most problems one error lists; the rest are counted, so a wholly wrong file stays readable. */
export const MAX_LISTED_PROBLEMS = 20;

export class ConfigError extends Error {
  readonly file: string;
  /** Every problem found, in the order of the stack file's schema; at least one. */
  readonly problems: readonly ConfigProblem[];

  /** One problem at `keyPath`, followed by any others found in the same run. */
  constructor(file: string, keyPath: KeyPath, detail: string, more: readonly ConfigProblem[] = []) {
    const problems = [{ key: keyOf(keyPath), detail }, ...more];
    super(messageOf(file, problems));
    this.name = "ConfigError";
    this.file = file;
    this.problems = problems;
  }

  /** Every problem of one file as one error, or undefined when there is none. */
  static all(file: string, problems: readonly { keyPath: KeyPath; detail: string }[]): ConfigError | undefined {
    const [first, ...rest] = problems;
    if (first === undefined) return undefined;
    const more = rest.map((p) => ({ key: keyOf(p.keyPath), detail: p.detail }));
    return new ConfigError(file, first.keyPath, first.detail, more);
  }

  /** The key of the first problem. */
  get key(): string {
    return this.problems[0]!.key;
  }

  /** What is wrong with the first problem's key. */
  get detail(): string {
    return this.problems[0]!.detail;
  }
}

/** One line per problem, `<file>: <key>: <detail>`, at most MAX_LISTED_PROBLEMS of them, then a count. */
function messageOf(file: string, problems: readonly ConfigProblem[]): string {
  const lines = problems
    .slice(0, MAX_LISTED_PROBLEMS)
    .map(({ key, detail }) => (key === "" ? `${file}: ${detail}` : `${file}: ${key}: ${detail}`));
  const unlisted = problems.length - MAX_LISTED_PROBLEMS;
  if (unlisted > 0) lines.push(`${file}: and ${unlisted} more problem${unlisted === 1 ? "" : "s"} not listed here`);
  return lines.join("\n");
}

function keyOf(keyPath: KeyPath): string {
  return typeof keyPath === "string" ? keyPath : keyPath.length === 0 ? "" : formatKey(keyPath);
}

/** `["fabio", "prometheus", "tagPrefix"]` → `rocketmq-system-jobs:fabio.prometheus.tagPrefix`. */
export function formatKey(keyPath: readonly (string | number)[]): string {
  const [head = "", ...rest] = keyPath;
  let key = `${PROJECT_NAMESPACE}:${head}`;
  for (const part of rest) key += typeof part === "number" ? `[${part}]` : `.${part}`;
  return key;
}
