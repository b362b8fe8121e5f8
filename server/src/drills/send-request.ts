/** A compliant send as the outreach agent asks the gate for it (unsubscribe link, sender, body). */
export function sendRequest(to: string, template: string, extra: Record<string, unknown> = {}) {
  return {
    action: "send_email",
    crm: "hubspot",
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
