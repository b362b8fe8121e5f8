import type { ActionPayload } from "../../../shared/index.js";

/** One failed compliance check: a risk flag and the sentence the agent and the audit read. */
export interface ComplianceFinding {
  flag: string;
  reason: string;
}

/** What the gate learned outside the payload: the CRM's opt-out flag, an earlier identical send. */
export interface SendFacts {
  /** `true` opted out, `false` not, `"unknown"` could not be read (fails closed). */
  optedOut?: boolean | "unknown" | undefined;
  /** The event id of an identical send inside the dedupe window, if any. */
  duplicateOf?: string | undefined;
}

// An unsubscribe link or instruction (CAN-SPAM §7704(a)(3), GDPR/PECR opt-out): the word, an
// opt-out phrase, a preferences link, or the usual merge tags that render one.
const UNSUBSCRIBE =
  /unsubscribe|opt[\s-]?out|manage\s+(your\s+)?(email\s+|subscription\s+)?preferences|\{\{\s*unsubscribe|%unsubscribe%|\[unsubscribe\]/i;
// A street address or PO box: the shapes CAN-SPAM's "valid physical postal address" takes.
const POSTAL = [
  /\bP\.?\s?O\.?\s+Box\s+\d+/i,
  /\b\d{1,6}\s+(?:[A-Za-z0-9.'-]+\s+){0,5}(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|way|court|ct|place|pl|square|sq|parkway|pkwy|suite|floor)\b\.?/i,
];
const squash = (s: string) => s.replace(/\s+/g, " ").trim().toLowerCase();
const domainOf = (address: string) => address.slice(address.lastIndexOf("@") + 1).toLowerCase();
const withinDomain = (host: string, domain: string) => host === domain || host.endsWith(`.${domain}`);

/**
 * The compliance checks a send must pass before it is allowed or shown to an approver
 * (requirements R4: unsubscribe present, sender identity not deceptive, postal address where
 * required, suppression/DNC, dedupe). Pure; returns every failure, not just the first.
 */
export function checkSendCompliance(payload: ActionPayload, facts: SendFacts = {}): ComplianceFinding[] {
  const out: ComplianceFinding[] = [];
  const body = payload.body ?? "";
  if (!UNSUBSCRIBE.test(body))
    out.push({ flag: "missing_unsubscribe", reason: "the body has no unsubscribe link or opt-out instruction" });

  const domain = payload.domain?.toLowerCase();
  if (payload.from && domain && !withinDomain(domainOf(payload.from), domain)) {
    out.push({ flag: "deceptive_sender", reason: `the sender ${payload.from} is not on the sending domain ${domain}` });
  }
  // A display name carrying another address ("Support <help@bank.com>" from elsewhere) misleads.
  const named = payload.fromName?.match(/[^\s<>"']+@[^\s<>"']+/g) ?? [];
  const senderDomain = payload.from ? domainOf(payload.from) : domain;
  if (senderDomain && named.some((a) => !withinDomain(domainOf(a), senderDomain))) {
    out.push({
      flag: "deceptive_sender",
      reason: `the sender name ${JSON.stringify(payload.fromName)} shows an address on another domain`,
    });
  }

  if (payload.requirePostalAddress === true) {
    const given = payload.postalAddress ? squash(body).includes(squash(payload.postalAddress)) : false;
    if (!given && !POSTAL.some((p) => p.test(body)))
      out.push({ flag: "missing_postal_address", reason: "a postal address is required and the body has none" });
  }

  if (payload.optedOut === true || facts.optedOut === true)
    out.push({ flag: "recipient_opted_out", reason: `${payload.to ?? "the recipient"} opted out of email` });
  else if (facts.optedOut === "unknown")
    out.push({
      flag: "optout_unknown",
      reason: "the recipient's opt-out status could not be read from the CRM; not sending blind",
    });

  if (facts.duplicateOf !== undefined) {
    out.push({
      flag: "duplicate_send",
      reason: `the same message went to ${payload.to ?? "this recipient"} within 24 hours (event ${facts.duplicateOf})`,
    });
  }
  return out;
}
