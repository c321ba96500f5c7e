// SPDX-License-Identifier: MIT
#include "cli.h"

int cmd_disasm(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_fail("'disasm' is not built yet");
}
