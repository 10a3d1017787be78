#ifndef CNCURSES_SHIM_H
#define CNCURSES_SHIM_H
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <wchar.h>
#include <ncurses.h>

/* Swift cannot see C globals and macros as such: wrap each one. */
static inline WINDOW *fn_stdscr(void) { return stdscr; }
static inline int cn_cols(void) { return COLS; }
static inline int cn_lines(void) { return LINES; }
static inline int cn_colors(void) { return COLORS; }
static inline attr_t cn_attr_bold(void) { return A_BOLD; }
static inline attr_t cn_attr_reverse(void) { return A_REVERSE; }
static inline attr_t cn_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t cn_attr_dim(void) { return A_DIM; }
static inline attr_t cn_attr_normal(void) { return A_NORMAL; }
static inline attr_t cn_color_pair(short n) { return COLOR_PAIR(n); }
static inline int cn_key_code_yes(void) { return KEY_CODE_YES; }
static inline int cn_err(void) { return ERR; }
static inline int cn_key_f(int n) { return KEY_F(n); }
static inline int cn_getmaxx(void) { return getmaxx(stdscr); }
static inline int cn_getmaxy(void) { return getmaxy(stdscr); }
static inline int cn_attrset(attr_t a) { return attrset(a); }
static inline int cn_mvaddstr(int y, int x, const char *s) { return mvaddstr(y, x, s); }
#endif
