// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ICollectionRegistry} from "../../src/interfaces/ICollectionRegistry.sol";
import {Tranche} from "../../src/interfaces/IStrataPool.sol";
import {PoolStorageLayout} from "../../src/pool/PoolStorageLayout.sol";
import {StrataPool} from "../../src/pool/StrataPool.sol";
import {ERC20} from "solmate/tokens/ERC20.sol";

/// @notice The wiring of a live pool: what a new implementation for its proxy is built with (issue #30, SPEC §8.6).
library WiringOf {
    function read(StrataPool p) internal view returns (PoolStorageLayout.Wiring memory) {
        return PoolStorageLayout.Wiring({
            delegateRegistry: p.delegateRegistry(),
            asset: ERC20(p.asset()),
            registry: ICollectionRegistry(p.registry()),
            seniorVault: p.vault(Tranche.Senior),
            juniorVault: p.vault(Tranche.Junior),
            liquidator: p.liquidator()
        });
    }
}
