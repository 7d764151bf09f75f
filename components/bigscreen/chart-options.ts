/** ECharts options for the big screen's panels, dark theme, sizes multiplied by `s` (2 on a 4K wall). */
import type { ChartOption } from "./echart";
import { classColorCss, VEHICLE_CLASSES } from "@/lib/live/vehicle-classes";
import type { BigscreenStrings } from "./strings";

const AXIS = "#5d7fa6";
const TEXT = "#b9cde6";
const GRIDLINE = "rgba(93,127,166,0.18)";

const hhmm = (t: number) => new Date(t + 8 * 3600_000).toISOString().slice(11, 16);

function axisStyle(s: number) {
  return {
    axisLine: { lineStyle: { color: AXIS } },
    axisLabel: { color: TEXT, fontSize: 11 * s },
    splitLine: { lineStyle: { color: GRIDLINE } },
  };
}

const base = (s: number) => ({
  animation: false,
  textStyle: { fontFamily: '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif', fontSize: 12 * s, color: TEXT },
  tooltip: { trigger: "axis", textStyle: { fontSize: 12 * s } },
  grid: { left: 44 * s, right: 14 * s, top: 30 * s, bottom: 24 * s },
});

export function flowOption(flow: { t: number; pings: number; vehicles: number; meanSpeedKmh: number }[], t: BigscreenStrings, s: number): ChartOption {
  return {
    ...base(s),
    legend: { top: 0, right: 0, textStyle: { color: TEXT, fontSize: 11 * s }, itemWidth: 14 * s, itemHeight: 8 * s },
    grid: { left: 48 * s, right: 40 * s, top: 30 * s, bottom: 24 * s },
    xAxis: { type: "category", data: flow.map((f) => hhmm(f.t)), ...axisStyle(s), splitLine: { show: false } },
    yAxis: [
      { type: "value", ...axisStyle(s) },
      { type: "value", ...axisStyle(s), splitLine: { show: false } },
    ],
    series: [
      { name: t.flowVehicles, type: "line", smooth: true, showSymbol: false, data: flow.map((f) => f.vehicles), lineStyle: { width: 2 * s, color: "#27c4ff" }, itemStyle: { color: "#27c4ff" }, areaStyle: { color: "rgba(39,196,255,0.18)" } },
      { name: t.flowSpeed, type: "line", yAxisIndex: 1, smooth: true, showSymbol: false, data: flow.map((f) => f.meanSpeedKmh), lineStyle: { width: 2 * s, color: "#ffc94a" }, itemStyle: { color: "#ffc94a" } },
    ],
  };
}

export function classOption(online: number[], t: BigscreenStrings, s: number): ChartOption {
  return {
    ...base(s),
    tooltip: { trigger: "item", textStyle: { fontSize: 12 * s } },
    legend: { orient: "vertical", right: 4 * s, top: "middle", textStyle: { color: TEXT, fontSize: 11 * s }, itemWidth: 10 * s, itemHeight: 10 * s, itemGap: 6 * s },
    series: [
      {
        type: "pie",
        radius: ["48%", "78%"],
        center: ["34%", "52%"],
        label: { show: false },
        itemStyle: { borderColor: "#07162a", borderWidth: 2 * s },
        data: VEHICLE_CLASSES.map((c, i) => ({ name: `${t.classes[c]} ${online[i] ?? 0}`, value: online[i] ?? 0, itemStyle: { color: classColorCss(i) } })),
      },
    ],
  };
}

export function districtOption(rows: { name: string; nameEn: string; vehicles: number }[], en: boolean, s: number): ChartOption {
  const top = rows.slice(0, 6).reverse();
  return {
    ...base(s),
    grid: { left: 70 * s, right: 36 * s, top: 6 * s, bottom: 6 * s },
    xAxis: { type: "value", show: false },
    yAxis: { type: "category", data: top.map((r) => (en ? r.nameEn : r.name)), ...axisStyle(s), axisTick: { show: false } },
    series: [
      {
        type: "bar",
        data: top.map((r) => r.vehicles),
        barWidth: "55%",
        label: { show: true, position: "right", color: TEXT, fontSize: 11 * s },
        itemStyle: { color: { type: "linear", x: 0, y: 0, x2: 1, y2: 0, colorStops: [{ offset: 0, color: "#0a4d8c" }, { offset: 1, color: "#27c4ff" }] }, borderRadius: 2 * s },
      },
    ],
  };
}

export function alarmTypeOption(rows: { type: string; count: number }[], t: BigscreenStrings, s: number): ChartOption {
  return {
    ...base(s),
    grid: { left: 36 * s, right: 10 * s, top: 14 * s, bottom: 40 * s },
    xAxis: { type: "category", data: rows.map((r) => t.alarmTypes[r.type] ?? r.type), ...axisStyle(s), axisLabel: { color: TEXT, fontSize: 10.5 * s, interval: 0, rotate: rows.length > 4 ? 24 : 0 } },
    yAxis: { type: "value", minInterval: 1, ...axisStyle(s) },
    series: [{ type: "bar", data: rows.map((r) => r.count), barMaxWidth: 26 * s, itemStyle: { color: "#ff5a6e", borderRadius: [3 * s, 3 * s, 0, 0] } }],
  };
}

export function throughputOption(rows: { t: number; txs: number }[], s: number): ChartOption {
  return {
    ...base(s),
    grid: { left: 44 * s, right: 10 * s, top: 10 * s, bottom: 22 * s },
    xAxis: { type: "category", data: rows.map((r) => hhmm(r.t)), ...axisStyle(s), splitLine: { show: false } },
    yAxis: { type: "value", minInterval: 1, ...axisStyle(s) },
    series: [{ type: "bar", data: rows.map((r) => r.txs), barMaxWidth: 14 * s, itemStyle: { color: "#3ee0a8" } }],
  };
}

export function complianceOption(rate: number, s: number): ChartOption {
  return {
    ...base(s),
    series: [
      {
        type: "gauge",
        min: 0,
        max: 100,
        radius: "92%",
        progress: { show: true, width: 10 * s, itemStyle: { color: rate >= 0.95 ? "#3ee0a8" : rate >= 0.8 ? "#ffc94a" : "#ff5a6e" } },
        axisLine: { lineStyle: { width: 10 * s, color: [[1, "rgba(93,127,166,0.25)"]] } },
        axisTick: { show: false },
        splitLine: { show: false },
        axisLabel: { show: false },
        pointer: { show: false },
        detail: { valueAnimation: false, formatter: "{value}%", color: "#e8f2ff", fontSize: 22 * s, offsetCenter: [0, "10%"] },
        data: [{ value: Math.round(rate * 1000) / 10 }],
      },
    ],
  };
}
