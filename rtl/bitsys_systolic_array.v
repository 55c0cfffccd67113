// A ROWS x COLS systolic array of bitsys PEs (KIND 0 int8, 1 binary, 2 bitserial): output
// stationary (df 0), weight stationary (df 1) or input stationary (df 2). The driver presents
// unskewed vectors; the array skews them (row r by r cycles, OS column c by c cycles), and in WS
// and IS de-skews the bottom row so one cycle carries all columns of one output row (WS) or
// column (IS). rtl/README.md gives the timing.
module bitsys_systolic_array #(
  parameter integer ROWS  = 4,
  parameter integer COLS  = 4,
  parameter integer KIND  = 0,
  parameter integer LANES = 1,
  parameter integer ACC_W = 32
) (
  input  wire                   clk,
  input  wire                   rst,
  input  wire                   en,         // 0: the whole array holds
  input  wire [1:0]             df,         // 0 OS, 1 WS, 2 IS
  input  wire [7:0]             active_rows,  // rows in use, 2..ROWS: results leave row active_rows - 1
  input  wire [7:0]             active_cols,  // columns in use, 2..COLS
  input  wire                   load,       // WS/IS: shift the top operands down one row (preload)
  input  wire                   drain,      // OS: shift the accumulators down one row
  input  wire [144*ROWS-1:0]    h_left,     // row r's operand from the left (OS/WS activations, IS beats)
  input  wire [144*COLS-1:0]    v_top,      // column c's operand from the top (OS/WS beats, IS activations)
  input  wire                   valid_in,   // WS/IS: h_left carries one streamed element
  input  wire                   last_in,    // OS: the inputs carry the last beat of the fold
`ifdef BITSYS_OVERLAP
  // Overlapped folds (rtl/README.md, "Overlapped folds"); with overlap low the array is the one above.
  input  wire                   overlap,    // 1: folds overlap. WS/IS: load shifts v_top down the preload chains;
                                            //    OS: results leave through the output registers, not by drain
  input  wire                   load_last,  // WS/IS, overlap: with load, v_top is the last preload row (the chains fill the shadows)
  input  wire                   first_in,   // WS/IS, overlap: h_left carries a fold's first element
  output wire [COLS-1:0]        result_col_valid,  // OS, overlap: column c's result leaves this cycle (bottom row first)
  output wire                   ready,      // OS, overlap: a fold's last beat may enter (its output registers are free)
`endif
  output wire [ACC_W*COLS-1:0]  result,     // OS: the bottom row's accumulators; WS/IS: one output row/column
  output wire                   result_valid,  // WS/IS: result holds a streamed element's outputs
  output wire                   last_done   // OS: the last beat's product is in every accumulator
);
  // An array built for ROWS x COLS runs any smaller array in its top-left corner (a size set per
  // layer, as the controller's configuration registers would): results leave the bottom of the
  // rows in use and the de-skew and control pipelines tap at the depth of the used size. PEs
  // outside the corner compute on whatever reaches them; nothing reads them.
  localparam integer OW = 144;  // an operand word (rtl/pe_ports.vh)
  wire os = df == 2'd0;
`ifdef BITSYS_OVERLAP
  wire skew_v = os | overlap;
  wire pe_load = load & ~overlap;  // overlapped, load feeds the chains and the PEs keep streaming
`else
  wire skew_v = os;
  wire pe_load = load;
`endif

  // ---- input skew: row r delayed r cycles; OS columns delayed c cycles ----------------------
  wire [OW-1:0] h_skewed [0:ROWS-1];
  genvar r, c;
  generate
    for (r = 0; r < ROWS; r = r + 1) begin : row_skew
      if (r == 0) begin : none
        assign h_skewed[r] = h_left[OW-1:0];
      end else begin : delay
        reg [OW-1:0] q [0:r-1];
        integer i;
        always @(posedge clk) begin
          if (rst) begin
            for (i = 0; i < r; i = i + 1) q[i] <= {OW{1'b0}};
          end else if (en) begin
            q[0] <= h_left[OW*r +: OW];
            for (i = 1; i < r; i = i + 1) q[i] <= q[i-1];
          end
        end
        assign h_skewed[r] = q[r-1];
      end
    end
  endgenerate

  wire [OW-1:0] v_skewed [0:COLS-1];
  generate
    for (c = 0; c < COLS; c = c + 1) begin : col_skew
      if (c == 0) begin : none
        assign v_skewed[c] = v_top[OW-1:0];
      end else begin : delay
        reg [OW-1:0] q [0:c-1];
        integer i;
        always @(posedge clk) begin
          if (rst) begin
            for (i = 0; i < c; i = i + 1) q[i] <= {OW{1'b0}};
          end else if (en) begin
            q[0] <= v_top[OW*c +: OW];
            for (i = 1; i < c; i = i + 1) q[i] <= q[i-1];
          end
        end
        // Preloaded (WS/IS) operands enter every column together, except down the overlapped
        // schedule's chains, which a fold's first element reaches column by column.
        assign v_skewed[c] = skew_v ? q[c-1] : v_top[OW*c +: OW];
      end
    end
  endgenerate

`ifdef BITSYS_OVERLAP
  // ---- overlapped folds: the mark (skewed like h), the chain controls (skewed like v) -------
  wire mark_left = overlap & (os ? last_in : first_in);
  wire chain_top = overlap & ~os & load, commit_top = chain_top & load_last;
  reg [ROWS-2:0] mark_q;  // mark_q[i]: mark_left i + 1 cycles ago (row i + 1's)
  reg [COLS-2:0] chain_q, commit_q, odrain_q;  // [i]: column 0's control i + 1 cycles ago (column i + 1's)
  // OS: column 0's output registers shift during cycles L + R .. L + 2R - 1 (L: the cycle a last
  // beat entered), and the next last beat may enter from L + 2R on, when that shifting can no
  // longer meet its captures. Last beats are at least 2R cycles apart, so one counter tracks it.
  localparam integer SW = $clog2(2 * ROWS);   // since_last reaches 2R - 2 <= 2 ROWS - 2
  localparam integer AW = $clog2(ROWS + 1);   // active_rows <= ROWS
  reg [SW-1:0] since_last;  // a last beat entered since_last + 1 cycles ago ...
  reg last_recent;          // ... if this is set (until since_last reaches 2R - 2)
  wire [SW:0] rows_used = {{(SW + 1 - AW){1'b0}}, active_rows[AW-1:0]};
  wire [SW:0] since = {1'b0, since_last};
  wire [SW:0] window_end = (rows_used << 1) - {{(SW - 1){1'b0}}, 2'd2};  // 2R - 2
  wire odrain_left = last_recent & (since >= rows_used - 1'b1);
  assign ready = ~last_recent;
  integer s;
  always @(posedge clk) begin
    if (rst) begin
      mark_q      <= {(ROWS - 1){1'b0}};
      chain_q     <= {(COLS - 1){1'b0}};
      commit_q    <= {(COLS - 1){1'b0}};
      odrain_q    <= {(COLS - 1){1'b0}};
      since_last  <= {SW{1'b0}};
      last_recent <= 1'b0;
    end else if (en) begin
      mark_q[0]   <= mark_left;
      chain_q[0]  <= chain_top;
      commit_q[0] <= commit_top;
      odrain_q[0] <= odrain_left;
      for (s = 1; s < ROWS - 1; s = s + 1) mark_q[s] <= mark_q[s-1];
      for (s = 1; s < COLS - 1; s = s + 1) begin
        chain_q[s]  <= chain_q[s-1];
        commit_q[s] <= commit_q[s-1];
        odrain_q[s] <= odrain_q[s-1];
      end
      if (overlap & os & last_in) begin
        since_last  <= {SW{1'b0}};
        last_recent <= 1'b1;
      end else if (last_recent) begin
        if (since == window_end) last_recent <= 1'b0;
        else                               since_last  <= since_last + 1'b1;
      end
    end
  end
  wire [COLS-1:0] chain_col  = {chain_q, chain_top};
  wire [COLS-1:0] commit_col = {commit_q, commit_top};
  wire [COLS-1:0] odrain_col = {odrain_q, odrain_left};
  assign result_col_valid = odrain_col;
  wire mk_w [0:ROWS-1][0:COLS];                   // mk_w[r][c]: the mark into PE(r, c)
  wire signed [ACC_W-1:0] o_v [0:ROWS][0:COLS-1];  // o_v[r][c]: output registers into PE(r, c)
  generate
    for (r = 0; r < ROWS; r = r + 1) begin : mark_rows
      if (r == 0) begin : none
        assign mk_w[r][0] = mark_left;
      end else begin : delay
        assign mk_w[r][0] = mark_q[r-1];
      end
    end
    for (c = 0; c < COLS; c = c + 1) begin : out_tops
      assign o_v[0][c] = {ACC_W{1'b0}};
    end
  endgenerate
`endif

  // ---- the grid -----------------------------------------------------------------------------
  wire [OW-1:0] h_w [0:ROWS-1][0:COLS];   // h_w[r][c]: into PE(r, c) from the left
  wire [OW-1:0] v_w [0:ROWS][0:COLS-1];   // v_w[r][c]: into PE(r, c) from above
  wire signed [ACC_W-1:0] s_v [0:ROWS][0:COLS-1];  // partial sums / accumulators into PE(r, c)
  generate
    for (r = 0; r < ROWS; r = r + 1) begin : rows
      assign h_w[r][0] = h_skewed[r];
    end
    for (c = 0; c < COLS; c = c + 1) begin : tops
      assign v_w[0][c] = v_skewed[c];
      assign s_v[0][c] = {ACC_W{1'b0}};
    end
    for (r = 0; r < ROWS; r = r + 1) begin : grid_r
      for (c = 0; c < COLS; c = c + 1) begin : grid_c
        if (KIND == 0) begin : pe
          bitsys_pe_int8 #(.LANES(LANES), .ACC_W(ACC_W)) u (
            .clk(clk), .rst(rst), .en(en), .df(df), .load(pe_load), .clear(1'b0), .drain(drain),
            .h_in(h_w[r][c]), .v_in(v_w[r][c]), .psum_in(s_v[r][c]),
            .h_out(h_w[r][c+1]), .v_out(v_w[r+1][c]), .acc(s_v[r+1][c])
`ifdef BITSYS_OVERLAP
            , .overlap(overlap), .mark_in(mk_w[r][c]), .mark_out(mk_w[r][c+1]), .chain(chain_col[c]), .commit(commit_col[c]),
            .odrain(odrain_col[c]), .out_in(o_v[r][c]), .out_out(o_v[r+1][c])
`endif
            );
        end else if (KIND == 1) begin : pe
          bitsys_pe_binary #(.LANES(LANES), .ACC_W(ACC_W)) u (
            .clk(clk), .rst(rst), .en(en), .df(df), .load(pe_load), .clear(1'b0), .drain(drain),
            .h_in(h_w[r][c]), .v_in(v_w[r][c]), .psum_in(s_v[r][c]),
            .h_out(h_w[r][c+1]), .v_out(v_w[r+1][c]), .acc(s_v[r+1][c])
`ifdef BITSYS_OVERLAP
            , .overlap(overlap), .mark_in(mk_w[r][c]), .mark_out(mk_w[r][c+1]), .chain(chain_col[c]), .commit(commit_col[c]),
            .odrain(odrain_col[c]), .out_in(o_v[r][c]), .out_out(o_v[r+1][c])
`endif
            );
        end else begin : pe
          bitsys_pe_bitserial #(.LANES(LANES), .ACC_W(ACC_W)) u (
            .clk(clk), .rst(rst), .en(en), .df(df), .load(pe_load), .clear(1'b0), .drain(drain),
            .h_in(h_w[r][c]), .v_in(v_w[r][c]), .psum_in(s_v[r][c]),
            .h_out(h_w[r][c+1]), .v_out(v_w[r+1][c]), .acc(s_v[r+1][c])
`ifdef BITSYS_OVERLAP
            , .overlap(overlap), .mark_in(mk_w[r][c]), .mark_out(mk_w[r][c+1]), .chain(chain_col[c]), .commit(commit_col[c]),
            .odrain(odrain_col[c]), .out_in(o_v[r][c]), .out_out(o_v[r+1][c])
`endif
            );
        end
      end
    end
  endgenerate

  /* verilator lint_off UNUSEDSIGNAL */
  wire unused_edges;  // the right column's h_out and the bottom row's v_out leave the array unused
  /* verilator lint_on UNUSEDSIGNAL */
  generate
    if (1) begin : edges
      wire [ROWS-1:0] right;
      wire [COLS-1:0] bottom;
      for (r = 0; r < ROWS; r = r + 1) begin : rr
        assign right[r] = ^h_w[r][COLS];
      end
      for (c = 0; c < COLS; c = c + 1) begin : cc
        assign bottom[c] = ^v_w[ROWS][c];
      end
`ifdef BITSYS_OVERLAP
      wire [ROWS-1:0] mark_right;
      for (r = 0; r < ROWS; r = r + 1) begin : mr
        assign mark_right[r] = mk_w[r][COLS];
      end
      assign unused_edges = ^{right, bottom, mark_right};
`else
      assign unused_edges = ^{right, bottom};
`endif
    end
  endgenerate

  // ---- outputs: WS/IS de-skew (column c delayed active_cols-1-c cycles), control pipelines --
  localparam integer RW = $clog2(ROWS + 1);
  localparam integer CW = $clog2(COLS + 1);
  /* verilator lint_off UNUSEDSIGNAL */
  wire unused_size_bits = ^{active_rows, active_cols};  // 8-bit registers; the array uses what ROWS, COLS need
  /* verilator lint_on UNUSEDSIGNAL */
  generate
    for (c = 0; c < COLS; c = c + 1) begin : deskew
`ifdef BITSYS_OVERLAP
      // OS, overlapped: the output register of the last row in use
      wire [ACC_W-1:0] bottom = os & overlap ? o_v[active_rows[RW-1:0]][c] : s_v[active_rows[RW-1:0]][c];
`else
      wire [ACC_W-1:0] bottom = s_v[active_rows[RW-1:0]][c];  // out of the last row in use
`endif
      if (c == COLS - 1) begin : none
        assign result[ACC_W*c +: ACC_W] = bottom;
      end else begin : delay
        reg [ACC_W-1:0] q [0:COLS-2-c];
        integer i;
        always @(posedge clk) begin
          if (rst) begin
            for (i = 0; i <= COLS - 2 - c; i = i + 1) q[i] <= {ACC_W{1'b0}};
          end else if (en) begin
            q[0] <= bottom;
            for (i = 1; i <= COLS - 2 - c; i = i + 1) q[i] <= q[i-1];
          end
        end
        // Column c waits active_cols - 1 - c cycles for the last column in use.
        wire [CW-1:0] wait_cycles = active_cols[CW-1:0] - 1'b1 - c[CW-1:0];
        reg [ACC_W-1:0] aligned;
        integer j;
        always @* begin
          aligned = bottom;
          for (j = 0; j <= COLS - 2 - c; j = j + 1)
            if ({{(32 - CW){1'b0}}, wait_cycles} == j + 1) aligned = q[j];
        end
        // OS reads the accumulators as they shift out; WS/IS read aligned outputs.
        assign result[ACC_W*c +: ACC_W] = os ? bottom : aligned;
      end
    end
  endgenerate

  // An output is aligned active_rows + active_cols - 2 cycles after its streamed element
  // entered; the last beat reaches the last PE in use after the same skew.
  localparam integer DEPTH = ROWS + COLS - 1;
  localparam integer DW = $clog2(DEPTH);  // tap <= DEPTH - 1; the sum below wraps harmlessly
  wire [DW-1:0] tap = active_rows[DW-1:0] + active_cols[DW-1:0] - {{(DW - 2){1'b0}}, 2'd2};
  reg [DEPTH-1:0] valid_q, last_q;
  always @(posedge clk) begin
    if (rst) begin
      valid_q <= {DEPTH{1'b0}};
      last_q  <= {DEPTH{1'b0}};
    end else if (en) begin
      valid_q <= {valid_q[DEPTH-2:0], valid_in & ~os & ~pe_load};
      last_q  <= {last_q[DEPTH-2:0], last_in & os & ~drain};
    end
  end
  assign result_valid = valid_q[tap];
  assign last_done = last_q[tap];
endmodule
