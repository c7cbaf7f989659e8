import type { ReactNode } from 'react';
import { BrandMark } from '../../ui/brand.js';

/** The centred card the signed-out screens share. */
export function AuthLayout({
  title,
  intro,
  children,
}: {
  title: string;
  intro?: string;
  children: ReactNode;
}) {
  return (
    <main className="auth-screen" id="main">
      <div className="panel auth-card">
        <div className="brand">
          <BrandMark />
        </div>
        <h1>{title}</h1>
        {intro === undefined ? null : <p className="muted">{intro}</p>}
        {children}
      </div>
    </main>
  );
}
