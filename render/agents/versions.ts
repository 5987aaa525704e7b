// The Consul and Nomad versions the images run. The image builds refuse any other (packer/images.pkr.hcl),
// and the leader alerts read leadership the way these versions report it (render/alerts/).

/**
 * A pin is a release (`1.8.7`: that release only) or a release line (`1.4`: any `1.4.x`).
 * Consul 1.8.7 is the release the integration tests run; Nomad 1.4 is the first line with Nomad Variables,
 * which deliver the jobs' Consul tokens.
 */
export const AGENT_VERSIONS = { consul: "1.8.7", nomad: "1.4" } as const;
