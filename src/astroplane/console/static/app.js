// Hash routes -> views. Each view renders into <main> and may register cleanups (timers).

import { api, session } from "./api.js";
import { button, clear, errorBox, field, form, h, input, select } from "./ui.js";
// Views load on first use: a page fetches only its own module (index.html preloads the
// deployments list, the page people open most).
const view = (module, name) => async (...args) => (await import(`./views/${module}.js`))[name](...args);

const ROUTES = [
  ["/", view("overview", "render")],
  ["/workspaces", view("workspaces", "list")],
  ["/workspaces/:id", view("workspaces", "detail")],
  ["/deployments", view("deployments", "list")],
  ["/deployments/new", view("deployments", "create")],
  ["/deployments/:id", view("deployment", "detail")],
  ["/deployments/:id/edit", view("deployment", "edit")],
  ["/deployments/:id/logs", view("logs", "render")],
  ["/environment-objects", view("envobjects", "list")],
  ["/environment-objects/new", view("envobjects", "create")],
  ["/environment-objects/:id", view("envobjects", "detail")],
  ["/tokens", view("tokens", "list")],
  ["/users", view("people", "users")],
  ["/invites", view("people", "invites")],
  ["/teams", view("people", "teams")],
  ["/teams/:id", view("people", "team")],
  ["/roles", view("people", "roles")],
  ["/ip-ranges", view("ipranges", "render")],
  ["/audit-log", view("audit", "render")],
];

const main = document.getElementById("main");
const nav = document.getElementById("nav");
const account = document.getElementById("account");
let cleanups = [];
let generation = 0;
let organizations = [];
let accountLoading = null;

function match(path) {
  const parts = path.split("/").filter(Boolean);
  for (const [pattern, view] of ROUTES) {
    const want = pattern.split("/").filter(Boolean);
    if (want.length !== parts.length) continue;
    const params = {};
    if (want.every((part, i) => (part.startsWith(":") ? (params[part.slice(1)] = decodeURIComponent(parts[i])) : part === parts[i]))) {
      return [view, params];
    }
  }
  return [null, {}];
}

export function navigate(path) {
  if (location.hash === `#${path}`) route();
  else location.hash = path;
}

async function route() {
  for (const cleanup of cleanups.splice(0)) cleanup();
  const mine = ++generation;
  const [path, queryText = ""] = location.hash.slice(1).split("?");
  if (!session.token) return signInPage();
  const needAccount = !organizations.length;
  if (needAccount && !session.organizationId && !(await accountOnce())) return;
  nav.hidden = false;
  const [view, params] = match(path || "/");
  highlight(path || "/");
  const context = {
    params, query: new URLSearchParams(queryText), navigate,
    alive: () => mine === generation,
    onCleanup: (cleanup) => cleanups.push(cleanup),
  };
  clear(main);
  if (!view) return clear(main, h("h1", {}, "Not found"), h("p", {}, "No console page lives at this address."));
  try {
    await view(main, context);
  } catch (error) {
    // the page's name stays, so the person knows what was refused
    const title = nav.querySelector("a[aria-current=page]")?.textContent || "Error";
    if (context.alive()) clear(main, h("h1", {}, title), errorBox(error));
  } finally {
    // with the organization known from this session, the page went first; the header follows
    if (needAccount) accountOnce();
  }
  if (context.alive()) document.title = `${main.querySelector("h1")?.textContent || "console"} · astroplane`;
}

function accountOnce() {
  accountLoading ||= loadAccount().finally(() => { accountLoading = null; });
  return accountLoading;
}

function highlight(path) {
  const top = `/${path.split("/").filter(Boolean)[0] || ""}`;
  for (const anchor of nav.querySelectorAll("a")) {
    const current = anchor.getAttribute("href").slice(1) === top;
    if (current) anchor.setAttribute("aria-current", "page");
    else anchor.removeAttribute("aria-current");
  }
}

async function loadAccount() {
  // an API token is no user: it has no /users/self
  const self = api.get("/users/self").then((user) => user.username, () => "API token");
  try {
    organizations = (await api.get("/organizations", { limit: 1000 })).organizations;
    if (!organizations.length) throw new Error("This token reaches no organization.");
  } catch (error) {
    generation++; // whatever page was on its way is void
    session.signOut();
    signInPage(error);
    return false;
  }
  if (!organizations.some((org) => org.id === session.organizationId)) {
    session.setOrganization(organizations[0].id);
    if (organizations.length > 1) navigate("/"); // a stored organization this token no longer reaches
  }
  const who = await self;
  const picker = organizations.length > 1
    ? field("Organization", select(organizations.map((org) => [org.id, org.name]), {
      value: session.organizationId,
      onchange: (event) => { session.setOrganization(event.target.value); navigate("/"); },
    }))
    : h("span", { class: "org-name" }, organizations[0].name);
  clear(account, picker, h("span", { class: "who", title: "signed in as" }, who),
    button("Sign out", signOut, { id: "sign-out" }));
  nav.hidden = false;
  return true;
}

function signOut() {
  session.signOut();
  organizations = [];
  clear(account);
  nav.hidden = true;
  navigate("/");
}

function signInPage(error) {
  nav.hidden = true;
  clear(account);
  const token = input({ type: "password", name: "token", autocomplete: "off", required: true, spellcheck: "false" });
  clear(main,
    h("div", { class: "signin" },
      h("h1", {}, "Sign in"),
      h("p", {}, "Paste an API token, or a personal token from ", h("code", {}, "astroplane user-token --email you@example.com"),
        ". The token stays in this tab's session storage and is dropped when you sign out."),
      error ? errorBox(error) : null,
      form([field("Token", token)], "Sign in", async (values) => {
        const text = values.get("token").trim();
        const orgs = (await api.get("/organizations", { limit: 1000 }, { token: text })).organizations;
        if (!orgs.length) throw new Error("This token reaches no organization.");
        session.signIn(text, orgs[0].id);
        await route();
      }, { label: "Sign in" })));
  token.focus();
}

// after a navigation, keyboard and screen-reader users continue from the new page's content
window.addEventListener("hashchange", () => route().then(() => {
  if (!main.contains(document.activeElement)) main.focus({ preventScroll: true });
}));
route();
