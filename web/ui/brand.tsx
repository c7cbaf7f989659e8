/** The Pulse logo and name. */
export function BrandMark() {
  return (
    <>
      <img src="/icon.svg" alt="" width="28" height="28" />
      <span>Pulse</span>
    </>
  );
}
