// SPDX-License-Identifier: MIT
#include "cli.h"

int cmd_vm(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_fail("'vm' is not built yet");
}
