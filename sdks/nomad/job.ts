// nomad.Job: registers a jobspec with Nomad (Terraform resource `nomad_job`, pulumi-nomad v2.5.4).
import * as pulumi from "@pulumi/pulumi";
import * as inputs from "./types/input";
import * as outputs from "./types/output";
import { hasPulumiType, resourceOptsDefaults } from "./utilities";

/** Arguments of `nomad.Job`. Only `jobspec` is required. */
export interface JobArgs {
  /**
   * The jobspec to register: HCL2 text (parsed by the provider, not by the Nomad server), or Nomad
   * API JSON when `json` is `true`. Required.
   */
  jobspec: pulumi.Input<string>;
  /** Deregister (stop) the job when this resource is destroyed. Default: `true`. */
  deregisterOnDestroy?: pulumi.Input<boolean>;
  /** Deregister the old job when the job ID in the jobspec changes. Default: `true`. */
  deregisterOnIdChange?: pulumi.Input<boolean>;
  /**
   * Return as soon as the job is registered. When `false`, the provider waits for the evaluation
   * and, for service jobs, the deployment to finish and fills `deploymentId`/`deploymentStatus`.
   * Default: `true`.
   */
  detach?: pulumi.Input<boolean>;
  /** Options for the HCL2 parser (`allowFs`, `vars`). Default: none. */
  hcl2?: pulumi.Input<inputs.JobHcl2>;
  /** Treat `jobspec` as Nomad API JSON instead of HCL. Default: `false`. */
  json?: pulumi.Input<boolean>;
  /** Register even if soft-mandatory Sentinel policies fail (Nomad Enterprise). Default: `false`. */
  policyOverride?: pulumi.Input<boolean>;
  /** Purge the job (not just stop it) when this resource is destroyed. Default: `false`. */
  purgeOnDestroy?: pulumi.Input<boolean>;
  /**
   * Read the job's allocation IDs into `allocationIds`. Default: `false`.
   *
   * @deprecated Deprecated by the provider; use the `nomad.getAllocations` data source instead.
   */
  readAllocationIds?: pulumi.Input<boolean>;
  /** Re-run the job on the next update if its status is `dead` (batch jobs). Default: `false`. */
  rerunIfDead?: pulumi.Input<boolean>;
}

/** Properties used to look up an existing `nomad.Job` with `Job.get`. */
export interface JobState {
  /**
   * IDs of the job's allocations (only read when `readAllocationIds` is `true`).
   *
   * @deprecated Deprecated by the provider; use the `nomad.getAllocations` data source instead.
   */
  allocationIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** Target datacenters, as derived from the jobspec. */
  datacenters?: pulumi.Input<pulumi.Input<string>[]>;
  /** ID of the deployment of the last create/update, when `detach` is `false` and there is one. */
  deploymentId?: pulumi.Input<string>;
  /** Status of that deployment, when `detach` is `false` and there is one. */
  deploymentStatus?: pulumi.Input<string>;
  /** See `JobArgs.deregisterOnDestroy`. */
  deregisterOnDestroy?: pulumi.Input<boolean>;
  /** See `JobArgs.deregisterOnIdChange`. */
  deregisterOnIdChange?: pulumi.Input<boolean>;
  /** See `JobArgs.detach`. */
  detach?: pulumi.Input<boolean>;
  /** See `JobArgs.hcl2`. */
  hcl2?: pulumi.Input<inputs.JobHcl2>;
  /** See `JobArgs.jobspec`. */
  jobspec?: pulumi.Input<string>;
  /** See `JobArgs.json`. */
  json?: pulumi.Input<boolean>;
  /** Job modify index after the last change (a string: it is a uint64). */
  modifyIndex?: pulumi.Input<string>;
  /** Job name (its ID), as derived from the jobspec. */
  name?: pulumi.Input<string>;
  /** Job namespace, as derived from the jobspec. */
  namespace?: pulumi.Input<string>;
  /** See `JobArgs.policyOverride`. */
  policyOverride?: pulumi.Input<boolean>;
  /** See `JobArgs.purgeOnDestroy`. */
  purgeOnDestroy?: pulumi.Input<boolean>;
  /**
   * See `JobArgs.readAllocationIds`.
   *
   * @deprecated Deprecated by the provider; use the `nomad.getAllocations` data source instead.
   */
  readAllocationIds?: pulumi.Input<boolean>;
  /** Target region, as derived from the jobspec. */
  region?: pulumi.Input<string>;
  /** See `JobArgs.rerunIfDead`. */
  rerunIfDead?: pulumi.Input<boolean>;
  /** Job status (`pending`, `running`, `dead`). */
  status?: pulumi.Input<string>;
  /** Task groups, as derived from the jobspec. */
  taskGroups?: pulumi.Input<pulumi.Input<outputs.JobTaskGroup>[]>;
  /** Job type (`service`, `system`, `batch`, `sysbatch`), as derived from the jobspec. */
  type?: pulumi.Input<string>;
}

// Inputs the provider accepts, in schema order; everything else on JobState is computed.
const argNames = [
  "deregisterOnDestroy",
  "deregisterOnIdChange",
  "detach",
  "hcl2",
  "jobspec",
  "json",
  "policyOverride",
  "purgeOnDestroy",
  "readAllocationIds",
  "rerunIfDead",
] as const satisfies readonly (keyof JobArgs)[];

const computedNames = [
  "allocationIds",
  "datacenters",
  "deploymentId",
  "deploymentStatus",
  "modifyIndex",
  "name",
  "namespace",
  "region",
  "status",
  "taskGroups",
  "type",
] as const satisfies readonly (keyof JobState)[];

/** A Nomad job, registered from a jobspec. Type token `nomad:index/job:Job`. */
export class Job extends pulumi.CustomResource {
  /** @internal */
  public static readonly __pulumiType = "nomad:index/job:Job";

  /**
   * Get an existing Job's state by name and provider ID (`<job id>@<namespace>` on import).
   *
   * @param name The _unique_ name of the resulting resource.
   * @param id The _unique_ provider ID of the resource to look up.
   * @param state Any extra arguments used during the lookup.
   * @param opts Optional settings to control the behaviour of the CustomResource.
   */
  public static get(
    name: string,
    id: pulumi.Input<pulumi.ID>,
    state?: JobState,
    opts?: pulumi.CustomResourceOptions,
  ): Job {
    // With `id` set the constructor reads JobState, as in the published SDK.
    return new Job(name, (state ?? {}) as JobArgs, { ...opts, id });
  }

  /** True if `obj` is a Job, even when several copies of @pulumi/pulumi are loaded. */
  public static override isInstance(obj: unknown): obj is Job {
    return hasPulumiType(obj, Job.__pulumiType);
  }

  // Output properties are `declare`d, never initialised: with ES2022 class fields an initialiser
  // would overwrite the Outputs the Resource constructor has just assigned.

  /** @deprecated Deprecated by the provider; use the `nomad.getAllocations` data source instead. */
  declare public readonly allocationIds: pulumi.Output<string[]>;
  /** Target datacenters, as derived from the jobspec. */
  declare public readonly datacenters: pulumi.Output<string[]>;
  /** ID of the deployment of the last create/update, when `detach` is `false` and there is one. */
  declare public readonly deploymentId: pulumi.Output<string>;
  /** Status of that deployment, when `detach` is `false` and there is one. */
  declare public readonly deploymentStatus: pulumi.Output<string>;
  /** See `JobArgs.deregisterOnDestroy`. */
  declare public readonly deregisterOnDestroy: pulumi.Output<boolean | undefined>;
  /** See `JobArgs.deregisterOnIdChange`. */
  declare public readonly deregisterOnIdChange: pulumi.Output<boolean | undefined>;
  /** See `JobArgs.detach`. */
  declare public readonly detach: pulumi.Output<boolean | undefined>;
  /** See `JobArgs.hcl2`. */
  declare public readonly hcl2: pulumi.Output<outputs.JobHcl2 | undefined>;
  /** See `JobArgs.jobspec`. */
  declare public readonly jobspec: pulumi.Output<string>;
  /** See `JobArgs.json`. */
  declare public readonly json: pulumi.Output<boolean | undefined>;
  /** Job modify index after the last change (a string: it is a uint64). */
  declare public readonly modifyIndex: pulumi.Output<string>;
  /** Job name (its ID), as derived from the jobspec. */
  declare public readonly name: pulumi.Output<string>;
  /** Job namespace, as derived from the jobspec. */
  declare public readonly namespace: pulumi.Output<string>;
  /** See `JobArgs.policyOverride`. */
  declare public readonly policyOverride: pulumi.Output<boolean | undefined>;
  /** See `JobArgs.purgeOnDestroy`. */
  declare public readonly purgeOnDestroy: pulumi.Output<boolean | undefined>;
  /** @deprecated Deprecated by the provider; use the `nomad.getAllocations` data source instead. */
  declare public readonly readAllocationIds: pulumi.Output<boolean | undefined>;
  /** Target region, as derived from the jobspec. */
  declare public readonly region: pulumi.Output<string>;
  /** See `JobArgs.rerunIfDead`. */
  declare public readonly rerunIfDead: pulumi.Output<boolean | undefined>;
  /** Job status (`pending`, `running`, `dead`). */
  declare public readonly status: pulumi.Output<string>;
  /** Task groups, as derived from the jobspec. */
  declare public readonly taskGroups: pulumi.Output<outputs.JobTaskGroup[]>;
  /** Job type (`service`, `system`, `batch`, `sysbatch`), as derived from the jobspec. */
  declare public readonly type: pulumi.Output<string>;

  /**
   * Create a Job resource with the given unique name, arguments, and options.
   *
   * @param name The _unique_ name of the resource.
   * @param args The arguments to use to populate this resource's properties.
   * @param opts A bag of options that control this resource's behaviour.
   */
  constructor(name: string, args: JobArgs, opts?: pulumi.CustomResourceOptions);
  constructor(name: string, argsOrState?: JobArgs | JobState, opts?: pulumi.CustomResourceOptions) {
    const resourceInputs: pulumi.Inputs = {};
    opts = opts ?? {};
    if (opts.id) {
      const state: JobState = argsOrState ?? {};
      for (const key of [...argNames, ...computedNames]) {
        resourceInputs[key] = state[key];
      }
    } else {
      const args = argsOrState as JobArgs | undefined;
      if ((!args || args.jobspec === undefined) && !opts.urn) {
        throw new Error("Missing required property 'jobspec'");
      }
      for (const key of argNames) {
        resourceInputs[key] = args?.[key];
      }
      for (const key of computedNames) {
        resourceInputs[key] = undefined;
      }
    }
    super(Job.__pulumiType, name, resourceInputs, pulumi.mergeOptions(resourceOptsDefaults(), opts));
  }
}
