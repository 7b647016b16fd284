// The public surface of documents/: the read-only JSON documents (an event's
// wire JSON, the two sides of a change) other folders may open or fill.
export { AUDIT_LOG_SCHEME, AuditLogDocumentProvider, changeSideUri, eventJsonUri, type EventLookup } from './auditLogDocuments';
