// Package parser splits a terminal's input stream into text, controls and
// escape sequences, and knows nothing about what they mean: a Parser
// reports each item to a Performer (package vt implements one that draws).
//
// # Model
//
// Bytes are first decoded as UTF-8, then the code points run through the
// state machine of Paul Williams' DEC ANSI parser
// (https://vt100.net/emu/dec_ansi_parser), which models what a DEC VT500
// does with each byte in each state. Its state names are used throughout.
//
//	                    ┌──────────── CAN, SUB: execute, abort ──────────┐
//	                    │  ESC (from any state; after a string, ESC \ = ST)
//	                    ▼                                                 │
//	ground ──ESC──► escape ──0x20–0x2F──► escape_intermediate ──final──► ground (Esc)
//	                  │ └──final──► ground (Esc)
//	                  ├──[──► csi_entry ──► csi_param ──► csi_intermediate ──final──► ground (CSI)
//	                  │          │  bad byte │ or marker      │ digit/marker
//	                  │          └──────────►└── csi_ignore ◄─┘ ──final──► ground (nothing)
//	                  ├──P──► dcs_entry ──► dcs_param ──► dcs_intermediate
//	                  │          │ final        │ final         │ final
//	                  │          └──────────────┴──────► dcs_passthrough ──ST──► ground (DCS)
//	                  │          (bad byte anywhere in the header) ► dcs_ignore ──ST──► ground
//	                  ├──]──► osc_string ──BEL or ST──► ground (OSC)
//	                  └──X ^ _──► sos_pm_apc_string ──ST──► ground (nothing)
//
// The 8-bit C1 controls arrive as the code points U+0080–U+009F (a raw
// 0x80–0x9F byte is invalid UTF-8) and act from any state: U+009B is CSI,
// U+009D OSC, U+0090 DCS, U+0098/U+009E/U+009F SOS/PM/APC, U+009C ST; the
// others execute and return to ground.
//
// Per state, for 7-bit input:
//
//	state                C0 control   0x20–0x2F      0x30–0x3F                 0x40–0x7E        DEL
//	ground               execute      print (runs)   print                     print            ignore
//	escape               execute      collect → e_i  dispatch (P [ ] X ^ _ enter strings)     ignore
//	escape_intermediate  execute      collect        dispatch                  dispatch         ignore
//	csi_entry            execute      collect → c_i  param/marker → csi_param  dispatch         ignore
//	csi_param            execute      collect → c_i  param; marker → ignore    dispatch         ignore
//	csi_intermediate     execute      collect        → csi_ignore              dispatch         ignore
//	csi_ignore           execute      ignore         ignore                    → ground         ignore
//	dcs_entry/param/int  ignore       as for CSI, but final → dcs_passthrough, bad → dcs_ignore
//	dcs_passthrough      put          put            put                       put              ignore
//	osc_string           ignore (BEL ends)  put      put                       put              ignore
//	dcs_ignore, sos_pm_apc_string: everything ignored until ST
//
// Departures from Williams, each for a reason:
//
//   - ':' is a parameter separator (ITU-T T.416 sub-parameters, as in
//     SGR 38:2::r:g:b and 4:3) instead of sending CSI to csi_ignore.
//   - BEL ends an OSC, as in xterm; most programs setting a title use it.
//   - CAN and SUB abort a string without dispatching it, as a VT does;
//     an ESC or C1 control still ends the string and dispatches it
//     (Williams' exit actions), and the '\' of ESC \ is swallowed.
//   - Code points ≥ U+00A0 print in ground and are collected as UTF-8 in
//     OSC and DCS bodies (titles are UTF-8). Inside CSI/DCS headers they
//     lead to the ignore state; right after ESC they abandon the escape
//     and print, so no text is lost.
//   - Invalid UTF-8 becomes U+FFFD, one per maximal subpart (Unicode
//     §3.9, "U+FFFD Substitution of Maximal Subparts"): an invalid byte,
//     or a valid prefix cut short, yields one U+FFFD and the byte that
//     cut it short is processed again.
//
// # Bounds
//
// The input comes from whatever program runs in the terminal, and through
// it from whoever can make that program print (a file being cat'ed, a web
// page). The parser therefore never lets input decide how much memory it
// uses: at most MaxParams parameters and MaxIntermediates intermediates are
// kept (the rest dropped), parameter values saturate at MaxParamValue, and
// OSC/DCS bodies are truncated at MaxOSCLen/MaxDCSLen into buffers
// allocated once in New. A long sequence is still consumed to its end, so
// the stream stays in step and the text after it prints normally.
//
// # Speed
//
// Plain text is most of any stream. In the ground state, runs of printable
// ASCII are found eight bytes at a time and handed to PrintASCII in one
// call; parameter bytes of a CSI are accumulated in a tight loop. Write
// does not allocate.
package parser
