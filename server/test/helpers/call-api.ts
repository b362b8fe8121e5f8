/** One JSON request to a running Tollgate with an API key: its status and parsed body. */
export async function callApi(
  baseUrl: string,
  method: string,
  path: string,
  key: string,
  body?: unknown,
  options: { yaml?: boolean } = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      "content-type": options.yaml ? "application/yaml" : "application/json",
    },
    ...(body === undefined ? {} : { body: options.yaml ? String(body) : JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as any };
}
