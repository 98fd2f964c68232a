// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StrataInvariants, StrataInvariantsThinJunior} from "./StrataInvariants.t.sol";

/// @title StrataInvariantsDeep
/// @notice The deep-profile run of both invariant suites, every invariant checked after every call of one campaign.
///         With the fixed fuzz seed (`foundry.toml`) each `invariant_*` function of a suite replays the same call
///         sequences (their per-action call tables are identical), so ten campaigns of 512 runs x 128 calls repeat
///         one campaign ten times. `invariant_all` checks the eleven checks together over that one campaign: the
///         same sequences, every check, a tenth of the time; the delegation invariant (7) included. Skipped unless `FOUNDRY_PROFILE=deep`
///         (`npm run test:invariant:deep`); the individual invariants run at the ci profile in `npm test`.
contract StrataInvariantsDeep is StrataInvariants {
    function setUp() public override {
        if (!_deepProfile()) vm.skip(true);
        super.setUp();
    }

    /// @notice All SPEC §9 invariants of `StrataInvariants`, after every call.
    function invariant_all() public view {
        invariant_1_navIsCashPlusBook();
        invariant_2_waterfall();
        invariant_3_solvency();
        invariant_4_nftCustody();
        invariant_7_delegations();
        invariant_5_lenderBounds();
        invariant_6_juniorFirst();
        invariant_assetConservation();
        invariant_shareLedgers();
        invariant_queueFairness();
        invariant_handlerChecks();
    }

    function _deepProfile() internal view returns (bool) {
        return keccak256(bytes(vm.envOr("FOUNDRY_PROFILE", string("default")))) == keccak256("deep");
    }
}

/// @notice The same over the thin-junior, crashed-floor variant.
contract StrataInvariantsThinJuniorDeep is StrataInvariantsThinJunior {
    function setUp() public override {
        if (keccak256(bytes(vm.envOr("FOUNDRY_PROFILE", string("default")))) != keccak256("deep")) vm.skip(true);
        super.setUp();
    }

    /// @notice All SPEC §9 invariants of `StrataInvariantsThinJunior`, after every call.
    function invariant_all() public view {
        invariant_1_navIsCashPlusBook();
        invariant_2_waterfall();
        invariant_3_solvency();
        invariant_4_nftCustody();
        invariant_7_delegations();
        invariant_5_lenderBounds();
        invariant_6_juniorFirst();
        invariant_assetConservation();
        invariant_shareLedgers();
        invariant_queueFairness();
        invariant_handlerChecks();
    }
}
