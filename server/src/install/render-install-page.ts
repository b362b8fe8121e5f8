/**
 * The small HTML page the admin lands on after the HubSpot redirect. Everything shown is
 * escaped (HubSpot's `error_description` comes from the query string), and nothing but the
 * message is shown: never a stack trace (docs/contracts.md#http-api).
 */
export function renderInstallPage(page: {
  ok: boolean;
  title: string;
  message: string;
  detail?: string | undefined;
}): string {
  const color = page.ok ? "#00796b" : "#b3261e";
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(page.title)} · Tollgate</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.5">
<h1 style="color: ${color}; font-size: 1.5rem">${escapeHtml(page.title)}</h1>
<p>${escapeHtml(page.message)}</p>
${page.detail ? `<p style="color: #555"><small>${escapeHtml(page.detail)}</small></p>` : ""}
</body>
</html>
`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
