// The Consul and Nomad versions the images run (images.consul.version, images.nomad.version), limited to the
// versions whose leadership the alert rules can read (render/alerts/consul.ts, render/alerts/nomad.ts).
import { z } from "zod";

/**
 * Today's pins. Consul 1.8.7 is the release the integration tests run; Nomad 1.4 is the first line with
 * Nomad Variables, which deliver the jobs' Consul tokens.
 */
export const DEFAULT_AGENT_VERSIONS = { consul: "1.8.7", nomad: "1.4" } as const;

/** A release (`1.8.7`: that release only) or a release line (`1.4`: any `1.4.x`). */
const VERSION = /^(0|[1-9]\d{0,3})\.(0|[1-9]\d{0,3})(?:\.(0|[1-9]\d{0,3}))?$/;

/** Major and minor of a version the schema accepted. */
export function releaseLine(version: string): { major: number; minor: number } {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return { major, minor };
}

const atLeast = (version: string, major: number, minor: number): boolean => {
  const line = releaseLine(version);
  return line.major > major || (line.major === major && line.minor >= minor);
};

/** Whether Consul servers of this version publish `consul_server_isLeader` (1.13 and later). */
export function consulReportsIsLeader(version: string): boolean {
  return atLeast(version, 1, 13);
}

const agentVersion = z
  .string()
  .regex(VERSION, 'must be a release such as "1.16.3" or a release line such as "1.16" (any 1.16.x)');

export const consulVersion = agentVersion.superRefine((version, ctx) => {
  if (!VERSION.test(version) || consulReportsIsLeader(version)) return;
  const { major, minor } = releaseLine(version);
  if (major === 1 && minor === 8) return;
  ctx.addIssue({
    code: "custom",
    message:
      major === 1 && minor >= 9
        ? `Consul ${version} is not supported: Consul 1.9 to 1.12 cannot tell a follower from a leaderless cluster (every server publishes consul_autopilot_healthy, none says which one leads), so ConsulNoLeader cannot read it; use 1.8.x or 1.13 and later`
        : `Consul ${version} is not supported: the images and alert rules are written for Consul 1.8.x or 1.13 and later`,
  });
});

export const nomadVersion = agentVersion.refine(
  (version) => !VERSION.test(version) || atLeast(version, 1, 4),
  "must be Nomad 1.4 or later: the jobs' Consul tokens arrive through Nomad Variables, new in 1.4",
);
