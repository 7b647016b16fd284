/**
 * The organization's directory (issue 15), VS Code-free: read from the Admin API with the audit log's
 * client (`readDirectory`), cached in the organization's archive (`saveDirectory`/`loadDirectory`), joined
 * to events (`DirectoryNames`, `joinEvent`) and checked for what deserves a look (`directoryFlags`).
 */
export { countsOf, EMPTY_DIRECTORY, type Directory, type DirectoryApiKey, type DirectoryCounts, type DirectoryGroup, type DirectoryInvite, type DirectoryProject, type DirectoryProjectUser, type DirectoryRole, type DirectoryServiceAccount, type DirectoryUser } from './types';
export { DirectoryParts, readDirectory, type DirectoryHttp, type DirectoryPart, type ReadDirectoryOptions } from './readDirectory';
export { loadDirectory, saveDirectory } from './directoryCache';
export { DirectoryNames, type DirectoryName, type NameKind } from './names';
export { joinEvent, shownName, type JoinedName, type JoinedRole } from './join';
export { directoryFlags, type DirectoryFlag, type DirectoryFlagKind, type FlagOptions } from './flags';
export { seenInArchive } from './seenInArchive';
export { currentDirectoryNames, onDidChangeDirectoryNames, setCurrentDirectoryNames } from './currentNames';
