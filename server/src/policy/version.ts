import { canonicalJson, sha256Hex, type PolicyManifest } from "../../../shared/index.js";

/**
 * docs/contracts.md#policy-manifest: the policy version is the SHA-256 (hex) of the canonical JSON of the parsed,
 * defaulted manifest. Comments, key order, quoting and spelling out a default do not change it;
 * changing any rule does. Every decision and audit event carries it.
 */
export function policyVersion(manifest: PolicyManifest): string {
  return sha256Hex(canonicalJson(manifest));
}
