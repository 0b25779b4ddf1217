// Live countdowns: every element with data-due-at (and data-alarm-at) counts down each
// second to its due time, turns orange (countdown-alarm) from its alarm time and red
// (countdown-late) with the "overdue" label once the due time has passed, then counts up.
//
// Times come from the server (ISO 8601). The browser's clock may be wrong (county PCs often
// are), so the offset to the server's clock is taken from the nearest data-server-now (the
// moment the page was rendered) and applied to every tick. Labels come from the element
// (data-label-left, data-label-over), translated on the server: JavaScript has no catalog.
//
// Markup: <span data-due-at=… data-alarm-at=… data-label-left=… data-label-over=…>
//           <span data-countdown-label></span> <span data-countdown-time></span></span>
// (without the two inner spans the element's whole text is replaced).

const TICK_MS = 1000;
const loadedAt = Date.now();

function pad(n) {
  return String(n).padStart(2, "0");
}

const DAY_S = 86400;
// A day's unit in the page's language (the server sets <html lang>): "6天 23:59:58" reads
// at a glance where "167:59:58" must be worked out.
const DAY_UNIT = (document.documentElement.lang || "zh").startsWith("zh") ? "天" : " d";

export function formatDuration(seconds, dayUnit = DAY_UNIT) {
  const total = Math.abs(seconds);
  const days = Math.floor(total / DAY_S);
  const hours = Math.floor((total % DAY_S) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const clock = `${pad(hours)}:${pad(minutes)}:${pad(total % 60)}`;
  return days > 0 ? `${days}${dayUnit} ${clock}` : clock;
}

// running / alarm / late, as the server reckons it (late only once past due).
export function stateAt(now, alarmAt, dueAt) {
  if (now > dueAt) return "late";
  if (!Number.isNaN(alarmAt) && now >= alarmAt) return "alarm";
  return "running";
}

function serverOffset(element) {
  const holder = element.closest("[data-server-now]");
  const serverNow = holder ? Date.parse(holder.dataset.serverNow) : NaN;
  return Number.isNaN(serverNow) ? 0 : serverNow - loadedAt;
}

function render(clock, now) {
  const state = stateAt(now, clock.alarmAt, clock.dueAt);
  // Seconds left rounded towards the past, as the server does: never show time not there.
  const seconds = Math.floor((clock.dueAt - now) / 1000);
  const label = state === "late" ? clock.labelOver : clock.labelLeft;
  const element = clock.element;
  if (element.dataset.state !== state) {
    element.dataset.state = state;
    element.classList.toggle("countdown-alarm", state === "alarm");
    element.classList.toggle("countdown-late", state === "late");
  }
  if (clock.labelNode && clock.timeNode) {
    if (clock.labelNode.textContent !== label) clock.labelNode.textContent = label;
    clock.timeNode.textContent = formatDuration(seconds);
  } else {
    element.textContent = `${label} ${formatDuration(seconds)}`;
  }
}

export function startCountdowns(root = document) {
  const clocks = [];
  for (const element of root.querySelectorAll("[data-due-at]")) {
    const dueAt = Date.parse(element.dataset.dueAt);
    if (Number.isNaN(dueAt) || element.dataset.countdownStarted) continue;
    element.dataset.countdownStarted = "1";  // a second import or call does not double it
    clocks.push({
      element,
      dueAt,
      alarmAt: Date.parse(element.dataset.alarmAt ?? ""),
      offset: serverOffset(element),
      labelLeft: element.dataset.labelLeft || "剩余",
      labelOver: element.dataset.labelOver || "已超时/迟报",
      labelNode: element.querySelector("[data-countdown-label]"),
      timeNode: element.querySelector("[data-countdown-time]"),
    });
  }
  if (clocks.length === 0) return () => {};
  const tick = () => {
    const local = Date.now();
    for (const clock of clocks) render(clock, local + clock.offset);
  };
  tick();
  const timer = setInterval(tick, TICK_MS);
  return () => clearInterval(timer);
}

startCountdowns();
