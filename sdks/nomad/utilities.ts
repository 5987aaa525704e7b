// Shared helpers for the resource classes of this binding.
import * as pulumi from "@pulumi/pulumi";

/**
 * The pulumi-nomad provider plugin version these bindings describe. Keep equal to `version` and
 * `pulumi.version` in package.json: the CLI installs the plugin named there, and every resource
 * asks the engine for this exact version (as the published SDK does), so a newer plugin that
 * happens to be installed on the machine is not picked up silently.
 */
export const providerVersion = "2.5.4";

/** Resource options every resource of this package starts from (the published SDK's `resourceOptsDefaults`). */
export function resourceOptsDefaults(): pulumi.ResourceOptions {
  return { version: providerVersion };
}

/** True when `obj` is a Pulumi resource whose type token is `type` (works across copies of the SDK). */
export function hasPulumiType(obj: unknown, type: string): boolean {
  return typeof obj === "object" && obj !== null && "__pulumiType" in obj && obj.__pulumiType === type;
}
