// The header's functions are static inline; a C target needs one source file.
#include "CMemoryHints.h"
