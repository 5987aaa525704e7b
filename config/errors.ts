// The one error type for user mistakes: it always names the stack file and the config key.

export const PROJECT_NAMESPACE = "rocketmq-system-jobs";

export class ConfigError extends Error {
  readonly file: string;
  readonly key: string;
  readonly detail: string;

  /** `keyPath` is a path below the project's namespace, or a full key as written (`other-namespace:key`). */
  constructor(file: string, keyPath: readonly (string | number)[] | string, detail: string) {
    const key = typeof keyPath === "string" ? keyPath : keyPath.length === 0 ? "" : formatKey(keyPath);
    super(key === "" ? `${file}: ${detail}` : `${file}: ${key}: ${detail}`);
    this.name = "ConfigError";
    this.file = file;
    this.key = key;
    this.detail = detail;
  }
}

/** `["fabio", "prometheus", "tagPrefix"]` → `rocketmq-system-jobs:fabio.prometheus.tagPrefix`. */
export function formatKey(keyPath: readonly (string | number)[]): string {
  const [head = "", ...rest] = keyPath;
  let key = `${PROJECT_NAMESPACE}:${head}`;
  for (const part of rest) key += typeof part === "number" ? `[${part}]` : `.${part}`;
  return key;
}
