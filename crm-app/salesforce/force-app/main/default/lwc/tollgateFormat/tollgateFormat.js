/**
 * What a rep reads in both Tollgate cards, independent of layout. The same rules as the HubSpot
 * cards' lib/format.ts (test/crm-app/salesforce-card-format.test.ts runs both on the same inputs):
 * only http(s) evidence URLs become links, so a bundle cannot smuggle a javascript: href.
 */

/** null, undefined and "" read as "(empty)"; objects as compact JSON. */
export function formatValue(value) {
  if (value === null || value === undefined || value === "") return "(empty)";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** 0–1 → "82%"; unknown → "—". */
export function formatConfidence(confidence) {
  return confidence === null || confidence === undefined ? "—" : `${Math.round(confidence * 100)}%`;
}

/** ISO-8601 → "2025-03-04 14:05 UTC": one unambiguous form whatever the user's locale. */
export function formatWhen(iso) {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso ?? "";
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** "2d 3h left", "3h 12m left", "14m left", "less than a minute left" or "expired". */
export function formatTimeLeft(expiresAt, now) {
  const ms = Date.parse(expiresAt) - now.getTime();
  if (Number.isNaN(ms)) return "no expiry";
  if (ms <= 0) return "expired";
  const minutes = Math.floor(ms / 60000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return `${days}d ${hours}h left`;
  if (hours > 0) return `${hours}h ${mins}m left`;
  if (mins > 0) return `${mins}m left`;
  return "less than a minute left";
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch (e) {
    return undefined;
  }
}

function isHttpUrl(value) {
  return /^https?:\/\/[^\s]+$/i.test(value);
}

function hostOf(url) {
  const match = /^https?:\/\/([^/?#]+)/i.exec(url);
  return match ? match[1] : url;
}

function toLink(candidate) {
  if (typeof candidate === "string") {
    return isHttpUrl(candidate) ? { label: hostOf(candidate), href: candidate } : undefined;
  }
  if (typeof candidate !== "object" || candidate === null) return undefined;
  const { url, href, title, name, label } = candidate;
  const target = typeof url === "string" ? url : typeof href === "string" ? href : undefined;
  if (target === undefined || !isHttpUrl(target)) return undefined;
  const text = [title, name, label].find((v) => typeof v === "string" && v.length > 0);
  return { label: text ?? hostOf(target), href: target };
}

/**
 * The links of an evidence bundle (JSON with sources, signals, facts): entries of sources[]
 * (URL strings or {url, title|name|label}) and top-level url/urls, http(s) only, each once.
 * A bundle stored as JSON text (the AI_SDR_Evidence__c field) is parsed first.
 */
export function evidenceLinks(evidence) {
  const bundle = typeof evidence === "string" ? parseJson(evidence) : evidence;
  if (typeof bundle !== "object" || bundle === null) return [];
  const candidates = [
    ...(Array.isArray(bundle.sources) ? bundle.sources : []),
    ...(Array.isArray(bundle.urls) ? bundle.urls : []),
    ...(bundle.url === undefined ? [] : [bundle.url]),
  ];
  const links = [];
  const seen = new Set();
  for (const candidate of candidates) {
    const link = toLink(candidate);
    if (link && !seen.has(link.href)) {
      seen.add(link.href);
      links.push(link);
    }
  }
  return links;
}

/** Evidence that is not links (signals, facts) as one short line; "" when there is none. */
export function evidenceSummary(evidence) {
  const bundle = typeof evidence === "string" ? (parseJson(evidence) ?? evidence) : evidence;
  if (bundle === null || bundle === undefined) return "";
  if (typeof bundle !== "object") return String(bundle);
  const rest = Object.fromEntries(
    Object.entries(bundle).filter(([k]) => k !== "sources" && k !== "urls" && k !== "url"),
  );
  return Object.keys(rest).length === 0 ? "" : JSON.stringify(rest);
}

/** "Agent enrichment-bot (enrichment)", "Person 005…", "System tollgate". */
export function describeActor(actor) {
  if (!actor) return "Unknown";
  if (actor.type === "agent") return actor.role ? `Agent ${actor.id} (${actor.role})` : `Agent ${actor.id}`;
  if (actor.type === "human") return `Person ${actor.id}`;
  return `System ${actor.id}`;
}

const OUTCOME_LABELS = {
  allow: "allowed",
  needs_approval: "needs approval",
  deny: "denied",
  killed: "kill switch on",
  over_cap: "over cap",
  outside_window: "outside window",
  observed: "observed",
  partially_approved: "partly approved",
  write_skipped: "write skipped",
  write_failed: "write failed",
};

/** A provenance outcome (policy outcome or approval step) as a rep reads it. */
export function outcomeLabel(outcome) {
  return OUTCOME_LABELS[outcome] ?? String(outcome).replace(/_/g, " ");
}

/** An Apex failure (AuraHandledException) or any other error, as one line. */
export function errorMessage(error) {
  if (error && error.body && typeof error.body.message === "string") return error.body.message;
  if (error && typeof error.message === "string") return error.message;
  return "Something went wrong talking to Tollgate.";
}
