import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { policyManifestSchema, type PolicyManifest } from "../../../shared/index.js";
import { checkReferences } from "./check-references.js";
import { compilePolicy } from "./compile.js";
import { formatKeyPath, locateNode, type KeyPath } from "./locate-node.js";
import { PolicyValidationError, type PolicyProblem } from "./policy-validation-error.js";
import type { CompiledPolicy } from "./types.js";

export interface LoadPolicyOptions {
  /** Named in every error line. @defaultValue `policy.yaml` */
  filename?: string;
}

/**
 * Parses and validates policy YAML, reporting every problem with its line, column and key path
 * (`policy.yaml:14:9 roles.enrichment.objects.contact.fields.email.tier: expected 0–4, got 7`).
 *
 * @throws PolicyValidationError listing all problems; YAML syntax errors are reported alone,
 *   since the schema cannot be checked against a document that did not parse.
 */
export function parsePolicy(text: string, options: LoadPolicyOptions = {}): PolicyManifest {
  const filename = options.filename ?? "policy.yaml";
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new PolicyValidationError(
      filename,
      doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return {
          line: Math.max(pos.line, 1),
          column: Math.max(pos.col, 1),
          path: "(yaml)",
          message: e.message.split("\n")[0]!,
        };
      }),
    );
  }

  const parsed = policyManifestSchema.safeParse(toPlainData(doc, filename), { reportInput: true });
  const at = (path: KeyPath, message: string, atKey = false): PolicyProblem => ({
    ...locateNode(doc, lineCounter, path, atKey),
    path: formatKeyPath(path),
    message,
  });
  if (!parsed.success) {
    throw new PolicyValidationError(
      filename,
      sortProblems(parsed.error.issues.flatMap((issue) => toProblems(issue, at))),
    );
  }
  const problems = checkReferences(parsed.data).map((p) => at(p.path, p.message, p.atKey));
  if (problems.length > 0) throw new PolicyValidationError(filename, sortProblems(problems));
  return parsed.data;
}

/** A policy's anchors and aliases expand at most this many times: a real policy uses a few dozen. */
export const MAX_POLICY_ALIASES = 1000;

/**
 * The document as plain data. An alias bomb (anchors nested so expanding them grows
 * exponentially) is refused as a policy problem naming the limit, before it can exhaust memory.
 */
function toPlainData(doc: ReturnType<typeof parseDocument>, filename: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_POLICY_ALIASES });
  } catch (err) {
    if (!(err instanceof ReferenceError)) throw err;
    throw new PolicyValidationError(filename, [
      {
        line: 1,
        column: 1,
        path: "(yaml)",
        message: `aliases expand beyond ${MAX_POLICY_ALIASES} nodes (${err.message}); a policy needs far fewer`,
      },
    ]);
  }
}

/**
 * Parses, validates and compiles a policy.
 *
 * @example
 * const policy = loadPolicy(await readFile("manifests/policy.yaml", "utf8"), { filename: "policy.yaml" });
 * decide(policy, { agentId: "enrichment-bot", object: "contact", kind: "field_write", field: "industry", at: new Date()
 * }, {}, NO_KILL_SWITCHES);
 */
export function loadPolicy(text: string, options: LoadPolicyOptions = {}): CompiledPolicy {
  return compilePolicy(parsePolicy(text, options));
}

/** Reads, validates and compiles a policy file; errors name the file's base name. */
export async function loadPolicyFile(path: string): Promise<CompiledPolicy> {
  return loadPolicy(await readFile(path, "utf8"), { filename: basename(path) });
}

function toProblems(
  issue: z.core.$ZodIssue,
  at: (path: KeyPath, message: string, atKey?: boolean) => PolicyProblem,
): PolicyProblem[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  if (issue.code === "unrecognized_keys") {
    // One problem per unknown key, each pointing at the key itself.
    return issue.keys.map((key) => at([...path, key], `unknown key ${JSON.stringify(key)}`, true));
  }
  if (issue.code === "invalid_type" && issue.input === undefined) return [at(path, `required (${issue.expected})`)];
  return [at(path, issue.message)];
}

function sortProblems(problems: PolicyProblem[]): PolicyProblem[] {
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}
