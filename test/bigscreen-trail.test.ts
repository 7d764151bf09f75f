/** The big screen's trail: the TripsLayer replays the selected vehicle's track from its start to where it is now, holds, and loops. */
import { describe, expect, it } from "vitest";
import { trailLayer, trailTime, unitLayer, type Trail } from "../components/bigscreen/fleet-layers";

const trail: Trail = { path: [[114.05, 22.54], [114.051, 22.54], [114.052, 22.541], [114.053, 22.541]], timestamps: [0, 2, 4, 20] };

describe("selected vehicle trail", () => {
  it("replays the track over at most 8 s of wall time, holds at the vehicle, then starts again", () => {
    expect(trailTime(trail, 0)).toBe(0);
    expect(trailTime(trail, 4)).toBe(10); // halfway through an 8 s replay of a 20 s track
    expect(trailTime(trail, 8)).toBe(20);
    expect(trailTime(trail, 9)).toBe(20); // holding
    expect(trailTime(trail, 9.5)).toBe(0); // replay again
    // A short track is replayed over at least 3 s.
    expect(trailTime({ path: trail.path.slice(0, 2), timestamps: [0, 1] }, 1.5)).toBe(0.5);
  });

  it("is a TripsLayer over the whole track, and nothing for a single point", () => {
    const layer = trailLayer(trail, 10, 1)!;
    expect(layer.constructor.name).toBe("TripsLayer");
    expect(layer.props).toMatchObject({ id: "selected-trail", currentTime: 10, trailLength: 20, fadeTrail: true });
    expect(trailLayer({ path: [[114.05, 22.54]], timestamps: [0] }, 0, 1)).toBeNull();
  });

  it("draws units by status, hidden when switched off", () => {
    const units = [{ id: "u1", name: "福田消防1", status: "available", lon: 114.05, lat: 22.54 }];
    const layer = unitLayer(units, 1, false);
    expect(layer.props).toMatchObject({ id: "dispatch-units", visible: false });
    expect((layer.props as unknown as { getFillColor: (u: (typeof units)[0]) => number[] }).getFillColor(units[0])).toEqual([40, 210, 120, 255]);
  });
});
