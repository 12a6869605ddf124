import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { API_PATHS } from '../../../shared/constants';
import { apiRequest } from '../../../shared/transport';

/**
 * The API's models for Other Model's list, sorted by ID. Through the shared transport like every
 * other API request, so a redirect is refused the same way and the key stays with the Base URL.
 */
export async function listModels(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const body = await apiRequest(this, { method: 'GET', path: API_PATHS.models, repeatable: true });
	const models = Array.isArray(body.data) ? (body.data as IDataObject[]) : [];
	const ids = models.map((model) => String(model.id ?? '')).filter((id) => id !== '');
	return [...new Set(ids)].sort().map((id) => ({ name: id, value: id }));
}
