// The organization's IP allow-list. Once it holds a range, only addresses inside it reach the API,
// so every change that would leave this browser outside asks first (or is refused).

import { api, listAll } from "../api.js";
import { button, clear, code, errorBox, field, form, h, pageHeader, section, table, when } from "../ui.js";

// --- CIDR arithmetic (IPv4 and IPv6) with BigInt
function parseAddress(text) {
  if (text.includes(".") && !text.includes(":")) {
    const parts = text.split(".").map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return null;
    return { bits: 32, value: parts.reduce((acc, p) => (acc << 8n) + BigInt(p), 0n) };
  }
  if (!text.includes(":")) return null;
  const [head, tail] = text.split("::");
  if (text.split("::").length > 2) return null;
  const groups = (s) => (s ? s.split(":") : []);
  let left = groups(head);
  let right = tail === undefined ? [] : groups(tail);
  const last = (tail === undefined ? left : right).at(-1);
  if (last?.includes(".")) { // IPv4-mapped tail
    const v4 = parseAddress(last);
    if (!v4) return null;
    const words = [(v4.value >> 16n).toString(16), (v4.value & 0xffffn).toString(16)];
    if (tail === undefined) left = [...left.slice(0, -1), ...words]; else right = [...right.slice(0, -1), ...words];
  }
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 0) return null;
  const all = [...left, ...Array(tail === undefined ? 0 : missing).fill("0"), ...right];
  if (all.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return null;
  return { bits: 128, value: all.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n) };
}

export function parseRange(text) {
  const [address, prefixText] = text.trim().split("/");
  const parsed = parseAddress(address);
  if (!parsed) return null;
  const prefix = prefixText === undefined ? parsed.bits : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > parsed.bits) return null;
  return { ...parsed, prefix };
}

export function covers(range, address) {
  if (!range || !address || range.bits !== address.bits) return false;
  const shift = BigInt(range.bits - range.prefix);
  return (range.value >> shift) === (address.value >> shift);
}

// Would `ranges` (texts) still let `address` in? An empty list lets everyone in.
export function admits(ranges, addressText) {
  if (!ranges.length) return true;
  let address = addressText ? parseAddress(addressText) : null;
  if (!address) return false;
  const mapped = address.bits === 128 && (address.value >> 32n) === 0xffffn ? { bits: 32, value: address.value & 0xffffffffn } : null;
  return ranges.some((text) => covers(parseRange(text), address) || (mapped && covers(parseRange(text), mapped)));
}

export async function render(main, { navigate, alive }) {
  const [ranges, client] = await Promise.all([
    listAll("allowed-ip-address-ranges", "allowedIpAddressRanges"),
    fetch("/console/client-address").then((r) => r.json()).catch(() => ({ address: null })),
  ]);
  if (!alive()) return;
  const address = client.address;
  const problems = h("div", { "aria-live": "polite" });
  const current = ranges.map((r) => r.ipAddressRange);
  const reload = () => navigate("/ip-ranges");
  const guard = (after, what) => {
    if (admits(after, address)) return true;
    return confirm(`${what} would leave your address (${address || "unknown"}) outside the allow-list: `
      + "every later request from this browser, this one's next page included, would be refused. Go ahead anyway?");
  };
  main.append(pageHeader("IP allow-list"),
    h("p", {}, "Your address, as the server sees it: ", code(address || "unknown"), ". ",
      ranges.length ? (admits(current, address) ? "It is inside the list." : "It is outside the list.") : "The list is empty: every address may call the API."),
    problems,
    section("Allow ranges", form([
      field("Ranges (CIDR, one per line or comma-separated)", h("textarea", { name: "ranges", rows: 3, required: true, placeholder: "10.0.0.0/8\n2001:db8::/32" })),
    ], "Add", async (values) => {
      const wanted = values.get("ranges").split(/[\s,]+/).filter(Boolean);
      const bad = wanted.filter((text) => !parseRange(text));
      if (bad.length) throw new Error(`Not a CIDR range: ${bad.join(", ")}`);
      if (!guard([...current, ...wanted], "This list")) return;
      await api.post("allowed-ip-address-ranges/bulk-create", { allowedIpAddressRanges: wanted });
      reload();
    }, { label: "Allow ranges" })),
    section("Allowed ranges", table([
      ["Range", (r) => code(r.ipAddressRange)],
      ["Covers you", (r) => (covers(parseRange(r.ipAddressRange), parseAddress(address || "")) ? "yes" : "no")],
      ["Added", (r) => when(r.createdAt)],
      ["", (r) => button("Remove", async () => {
        const after = current.filter((text) => text !== r.ipAddressRange);
        if (!guard(after, `Removing ${r.ipAddressRange}`)) return;
        clear(problems);
        try {
          await api.delete(`allowed-ip-address-ranges/${r.id}`);
          reload();
        } catch (error) { clear(problems, errorBox(error)); }
      }, { class: "danger", "aria-label": `Remove ${r.ipAddressRange}` })],
    ], ranges, { empty: "No ranges: the API is open to every address." }),
    ranges.length ? button("Remove all (opens the API to every address)", async () => {
      if (!confirm("Remove every range?")) return;
      try {
        await api.post("allowed-ip-address-ranges/bulk-delete", { allowedIpAddressRangeIds: ranges.map((r) => r.id) });
        reload();
      } catch (error) { clear(problems, errorBox(error)); }
    }) : null));
}
