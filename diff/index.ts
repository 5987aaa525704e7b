export { compareRenders, type ArtifactDiff, type RenderTree } from "./artifacts";
export { consequencesOf, type Consequence } from "./consequences";
export { formatMarkdown, GITHUB_COMMENT_LIMIT } from "./format-markdown";
export { formatText } from "./format-text";
export { hasChanges, type DiffReport } from "./report";
