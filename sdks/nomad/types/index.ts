// Nested block types, exposed as `nomad.types.input.*` and `nomad.types.output.*` like the published SDK.
import * as input from "./input";
import * as output from "./output";

export { input, output };
