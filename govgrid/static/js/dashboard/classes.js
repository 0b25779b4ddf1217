// Quantile classes for the map's colours, computed here from the values on the map: each
// class holds about as many places as the others, so a county where every township is
// between 80 % and 95 % still shows who is behind. Pure.

// Up to `count` classes; equal values never straddle a break, so there may be fewer. With
// no more distinct values than classes, each value is a class of its own; a lowest value
// shared by more than a class's share of places (most townships with 0 overdue) is a class
// of its own and the others are divided among the remaining classes.
export function quantileBreaks(values, count = 5) {
  const sorted = values.filter((v) => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  const distinct = [...new Set(sorted)];
  if (distinct.length <= count) return distinct.slice(1);
  const rest = sorted.filter((v) => v > sorted[0]);
  if (sorted.length - rest.length > sorted.length / count) {
    return [rest[0], ...quantileBreaks(rest, count - 1)];
  }
  const breaks = [];
  for (let i = 1; i < count; i += 1) {
    const value = sorted[Math.floor((i * sorted.length) / count)];
    if (value > sorted[0] && !breaks.includes(value)) breaks.push(value);
  }
  return breaks;
}

// The class of a value: 0 below the first break, breaks.length at or above the last.
export function classOf(value, breaks) {
  const index = breaks.findIndex((b) => value < b);
  return index === -1 ? breaks.length : index;
}

// [{index, min, max}] of the classes that hold at least one value, for the legend.
export function classRanges(values, breaks) {
  const ranges = new Map();
  for (const value of values) {
    if (value === null || !Number.isFinite(value)) continue;
    const index = classOf(value, breaks);
    const range = ranges.get(index) || { index, min: value, max: value };
    range.min = Math.min(range.min, value);
    range.max = Math.max(range.max, value);
    ranges.set(index, range);
  }
  return [...ranges.values()].sort((a, b) => a.index - b.index);
}

// The colour of class `index` of `classes`, spread over the palette's whole length.
export function colourOf(index, classes, palette) {
  if (classes <= 1) return palette[Math.floor(palette.length / 2)];
  return palette[Math.round((index * (palette.length - 1)) / (classes - 1))];
}
