// Package ssp implements mosh's State Synchronization Protocol: two peers
// each synchronise one State to the other over encrypted, fragmented UDP
// datagrams, byte-compatible with mosh 1.4.
package ssp
