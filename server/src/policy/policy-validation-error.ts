import { TollgateError } from "../errors/index.js";

/** One problem in a policy file, located by line/column (1-based) and key path. */
export interface PolicyProblem {
  line: number;
  column: number;
  /** `roles.enrichment.objects.contact.fields.email.tier`, `agents[0].role`; `(yaml)` for syntax errors. */
  path: string;
  message: string;
}

/**
 * The policy could not be loaded; `details` lists every problem found, not just the first, so
 * an admin fixes the file in one pass. Nothing was changed.
 */
export class PolicyValidationError extends TollgateError {
  declare readonly details: PolicyProblem[];
  readonly filename: string;

  constructor(filename: string, problems: PolicyProblem[]) {
    const lines = problems.map((p) => formatPolicyProblem(filename, p));
    const head = `${filename} is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"})`;
    super("policy_invalid", [head, ...lines].join("\n"), { httpStatus: 400, details: problems });
    this.filename = filename;
  }
}

/** `policy.yaml:14:9 roles.enrichment.objects.contact.fields.email.tier: expected 0–4, got 7` */
export function formatPolicyProblem(filename: string, p: PolicyProblem): string {
  return `${filename}:${p.line}:${p.column} ${p.path}: ${p.message}`;
}
