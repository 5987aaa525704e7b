// nomad.Provider: an explicit instance of the Nomad provider (pulumi-nomad v2.5.4).
import * as pulumi from "@pulumi/pulumi";
import * as inputs from "./types/input";
import { hasPulumiType, resourceOptsDefaults } from "./utilities";

/**
 * Arguments of `nomad.Provider`. All are optional; unset ones fall back to the provider's
 * environment variables (`NOMAD_ADDR`, `NOMAD_TOKEN`, `NOMAD_REGION`, `NOMAD_CACERT`, …).
 */
export interface ProviderArgs {
  /** URL of the root of the target Nomad agent, e.g. `http://127.0.0.1:4646`. Default: `NOMAD_ADDR`. */
  address?: pulumi.Input<string>;
  /** Log in through a Nomad JWT auth method instead of `secretId`. Passed as a secret. Default: none. */
  authJwt?: pulumi.Input<inputs.ProviderAuthJwt>;
  /** Path to a PEM CA certificate that verifies the agent's certificate. Default: `NOMAD_CACERT`. */
  caFile?: pulumi.Input<string>;
  /** PEM CA certificate that verifies the agent's certificate. Default: none. */
  caPem?: pulumi.Input<string>;
  /** Path to a PEM client certificate; requires `keyFile` or `keyPem`. Default: `NOMAD_CLIENT_CERT`. */
  certFile?: pulumi.Input<string>;
  /** PEM client certificate; requires `keyFile` or `keyPem`. Default: none. */
  certPem?: pulumi.Input<string>;
  /** HTTP headers sent with every Nomad request. Passed as a secret. Default: none. */
  headers?: pulumi.Input<pulumi.Input<inputs.ProviderHeader>[]>;
  /** HTTP basic auth, `user` or `user:pass`. Default: `NOMAD_HTTP_AUTH`. */
  httpAuth?: pulumi.Input<string>;
  /**
   * Environment variables the provider ignores when configuring its API client; supported keys are
   * `NOMAD_NAMESPACE` and `NOMAD_REGION`. Default: none.
   */
  ignoreEnvVars?: pulumi.Input<{ [key: string]: pulumi.Input<boolean> }>;
  /** Path to the PEM private key of `certFile`/`certPem`. Default: `NOMAD_CLIENT_KEY`. */
  keyFile?: pulumi.Input<string>;
  /** PEM private key of `certFile`/`certPem`. Default: none. */
  keyPem?: pulumi.Input<string>;
  /** Region of the target Nomad agent. Default: `NOMAD_REGION`. */
  region?: pulumi.Input<string>;
  /**
   * ACL token secret ID for API requests. Default: `NOMAD_TOKEN`. Not wrapped as a secret (the
   * published SDK does not either): pass a secret Output, e.g. from `config.requireSecret`.
   */
  secretId?: pulumi.Input<string>;
  /** Skip TLS verification of the agent's certificate. Default: `false`. */
  skipVerify?: pulumi.Input<boolean>;
}

/**
 * An explicit Nomad provider; pass it as `{ provider }` to resources that should use it instead of the
 * stack's default provider (configured with `nomad:*` config keys). Type token `pulumi:providers:nomad`.
 */
export class Provider extends pulumi.ProviderResource {
  /** @internal */
  public static readonly __pulumiType = "nomad";

  /** True if `obj` is a nomad Provider, even when several copies of @pulumi/pulumi are loaded. */
  public static override isInstance(obj: unknown): obj is Provider {
    return hasPulumiType(obj, "pulumi:providers:" + Provider.__pulumiType);
  }

  /** See `ProviderArgs.address`. */
  declare public readonly address: pulumi.Output<string | undefined>;
  /** See `ProviderArgs.caFile`. */
  declare public readonly caFile: pulumi.Output<string | undefined>;
  /** See `ProviderArgs.caPem`. */
  declare public readonly caPem: pulumi.Output<string | undefined>;
  /** See `ProviderArgs.certFile`. */
  declare public readonly certFile: pulumi.Output<string | undefined>;
  /** See `ProviderArgs.certPem`. */
  declare public readonly certPem: pulumi.Output<string | undefined>;
  /** See `ProviderArgs.httpAuth`. */
  declare public readonly httpAuth: pulumi.Output<string | undefined>;
  /** See `ProviderArgs.keyFile`. */
  declare public readonly keyFile: pulumi.Output<string | undefined>;
  /** See `ProviderArgs.keyPem`. */
  declare public readonly keyPem: pulumi.Output<string | undefined>;
  /** See `ProviderArgs.region`. */
  declare public readonly region: pulumi.Output<string | undefined>;
  /** See `ProviderArgs.secretId`. */
  declare public readonly secretId: pulumi.Output<string | undefined>;

  /**
   * Create a Provider resource with the given unique name, arguments, and options.
   *
   * @param name The _unique_ name of the resource.
   * @param args The arguments to use to populate this resource's properties.
   * @param opts A bag of options that control this resource's behaviour.
   */
  constructor(name: string, args?: ProviderArgs, opts?: pulumi.ResourceOptions) {
    const resourceInputs: pulumi.Inputs = {
      address: args?.address,
      authJwt: asJson(args?.authJwt ? pulumi.secret(args.authJwt) : undefined),
      caFile: args?.caFile,
      caPem: args?.caPem,
      certFile: args?.certFile,
      certPem: args?.certPem,
      headers: asJson(args?.headers ? pulumi.secret(args.headers) : undefined),
      httpAuth: args?.httpAuth,
      ignoreEnvVars: asJson(args?.ignoreEnvVars),
      keyFile: args?.keyFile,
      keyPem: args?.keyPem,
      region: args?.region,
      secretId: args?.secretId,
      skipVerify: asJson(args?.skipVerify),
    };
    super(Provider.__pulumiType, name, resourceInputs, pulumi.mergeOptions(resourceOptsDefaults(), opts ?? {}));
  }
}

// Provider configuration travels as strings: non-string values are sent JSON-encoded, as the
// published SDK does (an unset value stays undefined).
function asJson<T>(value: pulumi.Input<T> | undefined): pulumi.Output<string | undefined> {
  return pulumi.output(value).apply((v) => (v === undefined ? undefined : JSON.stringify(v)));
}
