// nomad.Variable: a Nomad Variable (Terraform resource `nomad_variable`, pulumi-nomad v2.5.4).
import * as pulumi from "@pulumi/pulumi";
import { hasPulumiType, resourceOptsDefaults } from "./utilities";

/** Arguments of `nomad.Variable`. */
export interface VariableArgs {
  /**
   * The items stored in the variable; Nomad encrypts the map as one unit. Always handled as a
   * Pulumi secret, in inputs and in state. Required.
   */
  items: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
  /** Namespace to create the variable in. Default: `"default"`. */
  namespace?: pulumi.Input<string>;
  /** Unique path of the variable, e.g. `nomad/jobs/<job>` so only that job's tasks can read it. Required. */
  path: pulumi.Input<string>;
}

/** Properties used to look up an existing `nomad.Variable` with `Variable.get`. */
export interface VariableState {
  /** See `VariableArgs.items`. */
  items?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
  /** See `VariableArgs.namespace`. */
  namespace?: pulumi.Input<string>;
  /** See `VariableArgs.path`. */
  path?: pulumi.Input<string>;
}

/** A Nomad Variable. Type token `nomad:index/variable:Variable`. */
export class Variable extends pulumi.CustomResource {
  /** @internal */
  public static readonly __pulumiType = "nomad:index/variable:Variable";

  /**
   * Get an existing Variable's state by name and provider ID.
   *
   * @param name The _unique_ name of the resulting resource.
   * @param id The _unique_ provider ID of the resource to look up.
   * @param state Any extra arguments used during the lookup.
   * @param opts Optional settings to control the behaviour of the CustomResource.
   */
  public static get(
    name: string,
    id: pulumi.Input<pulumi.ID>,
    state?: VariableState,
    opts?: pulumi.CustomResourceOptions,
  ): Variable {
    // With `id` set the constructor reads VariableState, as in the published SDK.
    return new Variable(name, (state ?? {}) as VariableArgs, { ...opts, id });
  }

  /** True if `obj` is a Variable, even when several copies of @pulumi/pulumi are loaded. */
  public static override isInstance(obj: unknown): obj is Variable {
    return hasPulumiType(obj, Variable.__pulumiType);
  }

  /** See `VariableArgs.items` (secret). */
  declare public readonly items: pulumi.Output<{ [key: string]: string }>;
  /** See `VariableArgs.namespace`. */
  declare public readonly namespace: pulumi.Output<string | undefined>;
  /** See `VariableArgs.path`. */
  declare public readonly path: pulumi.Output<string>;

  /**
   * Create a Variable resource with the given unique name, arguments, and options.
   *
   * @param name The _unique_ name of the resource.
   * @param args The arguments to use to populate this resource's properties.
   * @param opts A bag of options that control this resource's behaviour.
   */
  constructor(name: string, args: VariableArgs, opts?: pulumi.CustomResourceOptions);
  constructor(name: string, argsOrState?: VariableArgs | VariableState, opts?: pulumi.CustomResourceOptions) {
    const resourceInputs: pulumi.Inputs = {};
    opts = opts ?? {};
    if (opts.id) {
      const state: VariableState = argsOrState ?? {};
      resourceInputs["items"] = state.items;
      resourceInputs["namespace"] = state.namespace;
      resourceInputs["path"] = state.path;
    } else {
      const args = argsOrState as VariableArgs | undefined;
      if ((!args || args.items === undefined) && !opts.urn) {
        throw new Error("Missing required property 'items'");
      }
      if ((!args || args.path === undefined) && !opts.urn) {
        throw new Error("Missing required property 'path'");
      }
      // The provider marks `items` sensitive: secret on the way in, and kept secret on the way out.
      resourceInputs["items"] = args?.items ? pulumi.secret(args.items) : undefined;
      resourceInputs["namespace"] = args?.namespace;
      resourceInputs["path"] = args?.path;
    }
    const secretOpts: pulumi.CustomResourceOptions = {
      additionalSecretOutputs: ["items"],
    };
    super(
      Variable.__pulumiType,
      name,
      resourceInputs,
      pulumi.mergeOptions(pulumi.mergeOptions(resourceOptsDefaults(), opts), secretOpts),
    );
  }
}
