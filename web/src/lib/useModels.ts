import { useEffect, useState } from 'react';
import { api, type ModelInfo } from './api';

export interface Models {
  models: ModelInfo[];
  defaultModel: string | undefined;
}

/** The models `GET /api/models` offers, and which one is the default. */
export function useModels(): Models {
  const [models, setModels] = useState<Models>({ models: [], defaultModel: undefined });
  useEffect(() => {
    let live = true;
    api
      .listModels()
      .then((r) => live && setModels({ models: r.models, defaultModel: r.defaultModel }))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, []);
  return models;
}
