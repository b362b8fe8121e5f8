/** What replaces a secret value. */
export const REDACTED = "[redacted]";

// Words that make a key secret. Keys are split into words (snake, kebab, camel case) so that
// `access_token`, `apiKey` and `X-Api-Key` match while `prompt_tokens` does not.
const SECRET_WORDS = new Set([
  "token",
  "secret",
  "password",
  "passwd",
  "passphrase",
  "authorization",
  "cookie",
  "credential",
  "credentials",
  "apikey",
  "privatekey",
]);
const SECRET_PAIRS = new Set(["api key", "private key", "access key", "session key", "signing key"]);

// Secrets that hide inside ordinary strings, e.g. an HTTP error message quoting its request.
const INLINE_HINT = /bearer|basic|pat-/i;
const INLINE_SECRETS: readonly [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  [/\bpat-[a-z]{2,4}\d?-[0-9a-f-]{36}\b/gi, REDACTED], // HubSpot private-app access token
];

// Keys repeat from event to event; remembering the verdict keeps redaction off the hot path.
const verdicts = new Map<string, boolean>();

/**
 * Whether a key names a secret: one of its words is token, secret, password, authorization,
 * cookie, credential(s), or two adjacent words are api+key, private+key, access+key…
 * `access_token`, `refresh_token`, `client_secret`, `apiKey`, `X-Api-Key` are secret;
 * `prompt_tokens` is not. It errs towards redacting (`token_count` is treated as secret): a
 * hidden counter costs less than a leaked token.
 */
export function isSecretKey(key: string): boolean {
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    const words = key
      .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean);
    verdict = words.some((w, i) => SECRET_WORDS.has(w) || SECRET_PAIRS.has(`${w} ${words[i + 1] ?? ""}`));
    if (verdicts.size < 10_000) verdicts.set(key, verdict);
  }
  return verdict;
}

/** `s` with bearer/basic credentials and CRM tokens quoted inside it replaced by "[redacted]". */
export function redactInline(s: string): string {
  if (!INLINE_HINT.test(s)) return s;
  let out = s;
  for (const [pattern, replacement] of INLINE_SECRETS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * Field diffs name the field in a value (`{field: "api_key", before, after}`), so a key test
 * alone would miss them: a diff of a secret-named field keeps its name and loses its values.
 */
export function redactFieldDiffs<D extends { field: string; before?: unknown; after?: unknown }>(
  diffs: readonly D[],
): D[] {
  return diffs.map((d) =>
    isSecretKey(d.field)
      ? { ...d, before: d.before == null ? d.before : REDACTED, after: d.after == null ? d.after : REDACTED }
      : d,
  );
}

/**
 * Field diffs of fields the CRM marks sensitive (`"*"`: every diff of the event) keep their name and lose their values:
 * each is
 * replaced by `hash(value)` (a keyed hash, so equal values still compare equal without being
 * guessable from a list of candidates). The summary, which quotes values, is replaced too.
 */
export function hashSensitiveDiffs<D extends { field: string; before?: unknown; after?: unknown }>(
  diffs: readonly D[],
  sensitive: readonly string[] | undefined,
  hash: (value: unknown) => string,
): { diffs: D[]; hidden: boolean } {
  if (!sensitive?.length) return { diffs: [...diffs], hidden: false };
  const names = new Set(sensitive);
  let hidden = false;
  const out = diffs.map((d) => {
    if (!names.has(d.field) && !names.has("*")) return d;
    hidden = true;
    return {
      ...d,
      before: d.before == null ? d.before : hash(d.before),
      after: d.after == null ? d.after : hash(d.after),
    };
  });
  return { diffs: out, hidden };
}
