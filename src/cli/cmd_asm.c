// SPDX-License-Identifier: MIT
#include "cli.h"

int cmd_asm(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_fail("'asm' is not built yet");
}
