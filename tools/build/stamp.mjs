// Records that `npm run build` built both halves, so `npm start` does not rebuild them.
import { markBuilt } from './ensure-built.mjs';

markBuilt('server');
markBuilt('web');
