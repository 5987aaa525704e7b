// Input shapes of nested blocks (the published SDK's `types/input.ts`, reduced to what this binding exposes).
import * as pulumi from "@pulumi/pulumi";

/** The `hcl2` block of `nomad.Job`: options for the HCL2 jobspec parser, which runs inside the provider. */
export interface JobHcl2 {
  /**
   * Enable HCL2 file-system functions (`file`, `fileset`, …) while parsing the jobspec. They read the
   * machine running `pulumi up`, not the Nomad client. Default: `false`.
   */
  allowFs?: pulumi.Input<boolean>;
  /**
   * Values for `variable` blocks declared in the jobspec, as strings (HCL2 converts them to the
   * declared type). Default: none.
   */
  vars?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

/** One entry of the provider's `headers`: an HTTP header sent with every Nomad API request. */
export interface ProviderHeader {
  /** The header name. */
  name: pulumi.Input<string>;
  /** The header value. */
  value: pulumi.Input<string>;
}

/** The provider's `authJwt` block: log in through a Nomad JWT auth method instead of a static ACL token. */
export interface ProviderAuthJwt {
  /** Name of the Nomad ACL auth method to log in with. */
  authMethod: pulumi.Input<string>;
  /** The externally issued JWT exchanged for a Nomad ACL token. */
  loginToken: pulumi.Input<string>;
}
