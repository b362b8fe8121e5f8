export {
  TollgateError,
  ValidationError,
  NotFoundError,
  UnauthorizedError,
  ForbiddenError,
  ConflictError,
  ConfigError,
} from "./tollgate-error.js";
