/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LAMINA_KEYHANDLER_H
#define LAMINA_KEYHANDLER_H

/* A byte of serial input while the input is on Lamina: a debug key
 * (common/keyhandler.c). Called from the console softirq. */
void handle_keypress(char c);

#endif /* LAMINA_KEYHANDLER_H */
