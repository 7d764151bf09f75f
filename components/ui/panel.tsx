/** A titled panel: the portal's basic building block. */
import type { ReactNode } from "react";

export function Panel(props: { title: ReactNode; hint?: ReactNode; actions?: ReactNode; flush?: boolean; children: ReactNode; testId?: string }) {
  return (
    <section className="panel" data-testid={props.testId}>
      <header className="panel-head">
        <h2>{props.title}</h2>
        {props.hint ? <span className="panel-hint">{props.hint}</span> : null}
        {props.actions ? <div className="row">{props.actions}</div> : null}
      </header>
      <div className={props.flush ? "panel-body flush" : "panel-body"}>{props.children}</div>
    </section>
  );
}
