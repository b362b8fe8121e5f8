import type { DrillCrm } from "./drill-crm.js";

/** A compliant send as the outreach agent asks the gate for it (unsubscribe link, sender, body), to a contact of `crm`. */
export function sendRequest(crm: DrillCrm, to: string, template: string, extra: Record<string, unknown> = {}) {
  return {
    action: "send_email",
    crm: crm.crm,
    object: "contact",
    payload: {
      to,
      from: "sdr@drills.tollgate.example",
      fromName: "Drill SDR",
      template,
      subject: `Drill: ${template}`,
      body: `Hello from the ${template} family.\n\nUnsubscribe: https://drills.tollgate.example/u`,
    },
    ...extra,
  };
}
