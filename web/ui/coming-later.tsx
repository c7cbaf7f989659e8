/** An honest placeholder for a screen that is not built yet: says so, shows no made-up data. */
export function ComingLater({ title, summary }: { title: string; summary: string }) {
  return (
    <section className="panel coming-later" aria-labelledby="coming-later-title">
      <h2 id="coming-later-title">{title} is coming in a later release</h2>
      <p>{summary}</p>
      <p className="muted">Nothing on this screen works yet, so it shows nothing rather than sample data.</p>
    </section>
  );
}
