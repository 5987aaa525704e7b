// What one check of `verify` found.

export type Outcome = "pass" | "fail" | "skip";

export interface CheckResult {
  /** What was checked, e.g. `route /rocketmq/nsaddr` or `scrape job fabio`. */
  check: string;
  /** Where: a NameServer host as `<node> (<address>)`, or the API that answered. */
  host: string;
  result: Outcome;
  detail: string;
}

/** A NameServer host: its node name (Consul's and Nomad's, usually the hostname) and address. */
export interface Host {
  name: string;
  address: string;
}

export function hostLabel(host: Host): string {
  return host.address === "" || host.address === host.name ? host.name : `${host.name} (${host.address})`;
}

export const pass = (detail: string) => ({ result: "pass", detail }) as const;
export const fail = (detail: string) => ({ result: "fail", detail }) as const;
export const skip = (detail: string) => ({ result: "skip", detail }) as const;
export type Verdict = ReturnType<typeof pass> | ReturnType<typeof fail> | ReturnType<typeof skip>;
