// Units shared by every layer. A module of its own, importing nothing, so that the model and the
// harness take the constant without loading the host.

/**
 * Seconds (the unit of lifetimes and of the parameters named `...Seconds`, WIRE.md) to
 * milliseconds (the unit of every clock): the one conversion factor of the project.
 */
export const MS_PER_SECOND = 1000;
