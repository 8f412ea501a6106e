// The console's only way to the server: the /v1 API with the signed-in person's token.
// The token lives in sessionStorage (gone with the tab, dropped on sign-out), never in a cookie.

const TOKEN_KEY = "astroplane.console.token";
const ORG_KEY = "astroplane.console.organizationId";

export const session = {
  get token() { return sessionStorage.getItem(TOKEN_KEY); },
  get organizationId() { return sessionStorage.getItem(ORG_KEY); },
  signIn(token, organizationId) {
    sessionStorage.setItem(TOKEN_KEY, token);
    sessionStorage.setItem(ORG_KEY, organizationId);
  },
  setOrganization(organizationId) { sessionStorage.setItem(ORG_KEY, organizationId); },
  signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(ORG_KEY);
  },
};

export class ApiError extends Error {
  constructor(status, message, requestId) {
    super(message);
    this.status = status;
    this.requestId = requestId;
  }
}

// `path` is relative to the signed-in organization unless it starts with "/" (then to /v1).
export function apiUrl(path, params = {}) {
  const absolute = path.startsWith("/") ? `/v1${path}` : `/v1/organizations/${session.organizationId}/${path}`;
  const url = new URL(absolute, location.origin);
  for (const [key, value] of Object.entries(params)) {
    for (const item of [].concat(value)) {
      if (item !== undefined && item !== null && item !== "") url.searchParams.append(key, item);
    }
  }
  return url;
}

export async function request(method, path, { params, body, token = session.token, raw = false } = {}) {
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(apiUrl(path, params), {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(0, `The server did not answer (${error.message})`, undefined);
  }
  if (!response.ok) throw await toError(response);
  if (raw) return response;
  if (response.status === 204) return null;
  return response.json();
}

async function toError(response) {
  const text = await response.text();
  try {
    const body = JSON.parse(text);
    return new ApiError(response.status, body.message || response.statusText, body.requestId);
  } catch {
    return new ApiError(response.status, text.slice(0, 300) || response.statusText, undefined);
  }
}

export const api = {
  get: (path, params, options) => request("GET", path, { params, ...options }),
  post: (path, body, options) => request("POST", path, { body: body ?? {}, ...options }),
  delete: (path, options) => request("DELETE", path, options),
};

// Every page of a list, for pickers (workspace names, ...); stops at `cap` items.
export async function listAll(path, key, params = {}, cap = 5000) {
  const items = [];
  for (let offset = 0; offset < cap; offset += 1000) {
    const page = await api.get(path, { ...params, limit: 1000, offset });
    items.push(...page[key]);
    if (items.length >= page.totalCount || page[key].length === 0) break;
  }
  return items;
}
