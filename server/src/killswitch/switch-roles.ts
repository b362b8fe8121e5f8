/**
 * Who may turn a switch on (docs/operations.md, the role × action table): the whole tenant takes
 * an owner or RevOps admin; operators may stop narrower scopes. Lifting is `whyCannotChange`'s call.
 */
export const TENANT_SWITCHERS = ["owner", "revops_admin"] as const;
export const SCOPE_SWITCHERS = ["owner", "revops_admin", "operator"] as const;
