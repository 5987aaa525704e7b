// Loads the stack config inside the Pulumi program, failing with a clean message (no stack trace).
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { alertSecretReferences } from "./alert-secrets";
import type { AlertingConfig } from "./alerting-schema";
import { ConfigError, PROJECT_NAMESPACE } from "./errors";
import { decodeEngineConfig, parseStackConfig, plainTextSecretsOf } from "./load";
import type { StackConfig } from "./schema";
import { stackFileName } from "./stack-file";

export function loadProgramConfig(): StackConfig {
  try {
    const file = stackFileName(pulumi.getStack());
    // Pulumi runs the program in the project directory, beside the stack files.
    const plainText = plainTextSecretsOf(path.join(process.cwd(), file));
    return parseStackConfig(decodeEngineConfig(pulumi.runtime.allConfig()), file, plainText);
  } catch (err) {
    if (err instanceof ConfigError) throw new pulumi.RunError(err.message);
    throw err;
  }
}

/** The token Pulumi manages Consul ACLs with, as a secret Output; required when ACLs are on. */
export function loadConsulAclToken(): pulumi.Output<string> {
  const key = "consulAclToken";
  const token = new pulumi.Config(PROJECT_NAMESPACE).getSecret(key);
  if (token === undefined) {
    const hint = `is required when consul.acl.enabled is true; set it with \`pulumi config set --secret ${key} <token>\``;
    throw new pulumi.RunError(new ConfigError(stackFileName(pulumi.getStack()), [key], hint).message);
  }
  return token;
}

/** The secrets a deployed Alertmanager's receivers name, as secret Outputs; each must be set as a secret. */
export function loadAlertSecrets(alerting: AlertingConfig): Record<string, pulumi.Output<string>> {
  const config = new pulumi.Config(PROJECT_NAMESPACE);
  const secrets: Record<string, pulumi.Output<string>> = {};
  for (const { name, keyPath } of alertSecretReferences(alerting)) {
    const file = stackFileName(pulumi.getStack());
    if (config.get(name) === undefined) {
      const hint = `names the secret "${name}", which is not set; set it with \`pulumi config set --secret ${name} <value>\``;
      throw new pulumi.RunError(new ConfigError(file, keyPath, hint).message);
    }
    secrets[name] = config.requireSecret(name);
  }
  return secrets;
}
