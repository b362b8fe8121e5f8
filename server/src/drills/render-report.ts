import type { DrillReport } from "./types.js";

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mdCell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const html = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The report as Markdown: a summary table, then each drill's steps with the audit events that prove them. */
export function renderMarkdown(r: DrillReport): string {
  const out = [
    `# Tollgate drill report`,
    "",
    `${r.passed ? "**PASS**" : "**FAIL**"} · ${r.mode === "live" ? "LIVE" : "sandbox"}: ${r.target} · started ${r.startedAt} · ${seconds(r.ms)}`,
    "",
    ...r.notes.map((n) => `- ${n}`),
    ...(r.notes.length ? [""] : []),
    "| drill | result | time |",
    "|---|---|---|",
    ...r.drills.map((d) => `| ${d.title} | ${d.passed ? "pass" : "FAIL"} | ${seconds(d.ms)} |`),
  ];
  for (const d of r.drills) {
    out.push("", `## ${d.title}: ${d.passed ? "pass" : "FAIL"} (${seconds(d.ms)})`);
    if (d.error) out.push("", `Stopped: ${d.error}`);
    out.push(
      "",
      "| step | what was tried | what Tollgate did | proof (audit events) | result | time |",
      "|---|---|---|---|---|---|",
    );
    for (const s of d.steps) {
      const proof = s.evidence.map((e) => `\`${e.eventId}\` ${e.summary}`).join("<br>") || "—";
      out.push(
        `| ${mdCell(s.title)} | ${mdCell(s.tried)} | ${mdCell(s.observed)} | ${mdCell(proof)} | ${s.passed ? "pass" : "FAIL"} | ${s.ms} ms |`,
      );
    }
  }
  return `${out.join("\n")}\n`;
}

/** The same report as a self-contained HTML page (no scripts, no external assets). */
export function renderHtml(r: DrillReport): string {
  const badge = (ok: boolean) => `<span class="${ok ? "pass" : "fail"}">${ok ? "pass" : "FAIL"}</span>`;
  const drills = r.drills
    .map((d) => {
      const rows = d.steps
        .map((s) => {
          const proof = s.evidence.map((e) => `<code>${html(e.eventId)}</code> ${html(e.summary)}`).join("<br>") || "—";
          return `<tr><td>${html(s.title)}</td><td>${html(s.tried)}</td><td>${html(s.observed)}</td><td>${proof}</td><td>${badge(s.passed)}</td><td>${s.ms} ms</td></tr>`;
        })
        .join("\n");
      return `<section><h2>${html(d.title)} ${badge(d.passed)} <small>${seconds(d.ms)}</small></h2>${d.error ? `<p>Stopped: ${html(d.error)}</p>` : ""}
<table><tr><th>step</th><th>what was tried</th><th>what Tollgate did</th><th>proof (audit events)</th><th>result</th><th>time</th></tr>
${rows}</table></section>`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tollgate drill report</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}code{font-size:12px}
.pass{color:#176d2c;font-weight:600}.fail{color:#b00020;font-weight:600}</style></head>
<body><h1>Tollgate drill report ${badge(r.passed)}</h1>
<p><strong>${r.mode === "live" ? "LIVE" : "sandbox"}</strong>: ${html(r.target)} · started ${html(r.startedAt)} · ${seconds(r.ms)}</p>
${r.notes.length ? `<ul>${r.notes.map((n) => `<li>${html(n)}</li>`).join("")}</ul>` : ""}
<table><tr><th>drill</th><th>result</th><th>time</th></tr>
${r.drills.map((d) => `<tr><td>${html(d.title)}</td><td>${badge(d.passed)}</td><td>${seconds(d.ms)}</td></tr>`).join("\n")}</table>
${drills}
</body></html>
`;
}
